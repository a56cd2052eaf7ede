import type { GatewayContext } from '../schema/context.js';

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

export function authScopes(context: GatewayContext) {
  const caller = context.caller;
  const user = caller?.user;
  return {
    authenticated: caller !== null,
    admin: caller?.isAdmin ?? false,
    platformAdmin: caller?.isPlatformAdmin ?? false,
    readOthers: Boolean(caller && (caller.isAdmin || user?.healthcarePartyId)),
    self: (id: string) => user?._id === id,
    selfIdentifier: (identifier: string) =>
      Boolean(user && (user._id === identifier || user.login === identifier.trim() || (user.email && user.email === identifier))),
  };
}

/** Scopes as a field or type asks for them: any one suffices, `$all` needs each. */
export type ScopeMap = { [Scope in keyof AuthScopes]?: AuthScopes[Scope] } & { $any?: ScopeMap; $all?: ScopeMap };

/**
 * The scopes of a field that takes `groupId`: without it, `scopes` in the caller's
 * own database; with it, only platform admins.
 */
export function inDatabase<Args extends { groupId?: string | null }>(scopes: (args: Args) => ScopeMap) {
  return (_parent: unknown, args: Args): ScopeMap => (args.groupId != null ? { platformAdmin: true } : scopes(args));
}
