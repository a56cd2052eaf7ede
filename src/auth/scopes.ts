import { forbidden } from '../errors.js';
import { carriesIdentifier } from '../users/user-identifiers.js';
import type { StoredUser } from '../users/stored-user.js';
import type { Caller } from './caller.js';

// Every authorization rule of the contract, in one place: the scopes the schema's
// fields declare (checked by scope-auth before a resolver runs) and, below, the
// rules about what a caller may write, which resolvers apply to their input.

/**
 * The contract's authorization table as scope-auth scopes, evaluated per request.
 * Scopes about a database mean the caller's own: a `groupId` argument (another
 * database) needs `platformAdmin`, see `inDatabase`.
 */
export interface AuthScopes {
  /** Any authenticated user. */
  authenticated: boolean;
  /** A non-revoked ADMIN grant: everything within its own database. */
  admin: boolean;
  /** An admin of the default database: other groups' databases too. */
  platformAdmin: boolean;
  /** May read other users of its database: linked to a healthcare party, or an admin. */
  readOthers: boolean;
  /** The caller is the user with this id. */
  self: string;
  /** The caller is the user with this id, login or email. */
  selfIdentifier: string;
}

/** What the scopes read of a request. */
export interface ScopeContext {
  caller: Caller | null;
}

export function authScopes({ caller }: ScopeContext) {
  const user = caller?.user;
  return {
    authenticated: caller !== null,
    admin: caller?.isAdmin ?? false,
    platformAdmin: caller?.isPlatformAdmin ?? false,
    readOthers: Boolean(caller && (caller.isAdmin || user?.healthcarePartyId)),
    // Bound methods rather than closures: a subscription keeps its scopes as long as it lasts,
    // and a named closure (tsx keeps names) holds a property dictionary of its own.
    self: OwnScopes.self.bind(user),
    selfIdentifier: OwnScopes.selfIdentifier.bind(user),
  };
}

/** The scopes about the caller's own user, called with it as `this` (methods: tsx names no closure here). */
const OwnScopes = {
  self(this: StoredUser | undefined, id: string): boolean {
    return this?._id === id;
  },
  selfIdentifier(this: StoredUser | undefined, identifier: string): boolean {
    return Boolean(this && carriesIdentifier(this, identifier));
  },
};

/** Scopes as a field or type asks for them: any one suffices, `$all` needs each. */
export type ScopeMap = { [Scope in keyof AuthScopes]?: AuthScopes[Scope] } & { $any?: ScopeMap; $all?: ScopeMap };

/** Who may read a user (the User type's rule): itself, or a caller who may read others of its database. */
export function userReadScopes(userId: string): ScopeMap {
  return { readOthers: true, self: userId };
}

/**
 * The scopes of a field that takes `groupId`: without it, `scopes` in the caller's
 * own database; with it, only platform admins.
 */
export function inDatabase<Args extends { groupId?: string | null }>(scopes: (args: Args) => ScopeMap) {
  return (_parent: unknown, args: Args): ScopeMap => (args.groupId != null ? { platformAdmin: true } : scopes(args));
}

/** The fields of a user that decide its rights: a user may edit itself, but only an admin may set these. */
export const PRIVILEGED_USER_FIELDS = ['roles', 'permissions', 'status'] as const;

/** FORBIDDEN, naming the field, when a caller who is not an admin sets a privileged field (to anything, null included). */
export function refusePrivilegedFields(caller: Caller, input: { [Field in (typeof PRIVILEGED_USER_FIELDS)[number]]?: unknown }): void {
  if (caller.isAdmin) return;
  const privileged = PRIVILEGED_USER_FIELDS.find((field) => input[field] !== undefined);
  if (privileged) throw forbidden(`Only an admin may change ${privileged}`, `input.${privileged}`);
}

/** A user may choose its healthcare party while it has none; changing it afterwards takes an admin. */
export function refuseHealthcarePartyChange(caller: Caller): void {
  if (caller.user.healthcarePartyId && !caller.isAdmin) {
    throw forbidden('The user already has a healthcare party; only an admin may change it', 'healthcarePartyId');
  }
}

/** What each scope asks of the caller, in words, for a FORBIDDEN message. */
const scopeMeanings: { [Scope in keyof AuthScopes]: (parameter: unknown) => string } = {
  authenticated: () => 'an authenticated caller',
  admin: () => 'admin (a non-revoked ADMIN permission in this database)',
  platformAdmin: () => 'platformAdmin (an admin of the default database: needed for a groupId)',
  readOthers: () => 'readOthers (a healthcare party, or admin)',
  self: (id) => `self (being the user ${JSON.stringify(id)})`,
  selfIdentifier: (identifier) => `self (being the user ${JSON.stringify(identifier)})`,
};

/** A scope a refused caller lacked, in words: e.g. `admin (a non-revoked ADMIN permission in this database)`. */
export function describeScope(scope: string, parameter: unknown): string {
  return scope in scopeMeanings ? scopeMeanings[scope as keyof AuthScopes](parameter) : scope;
}
