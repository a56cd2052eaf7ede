import bcrypt from 'bcryptjs';
import { tooManyRequests, unauthenticated } from '../errors.js';
import { groupIdSchema } from '../users/user-validation.js';
import { isTokenLive } from '../users/authentication-tokens.js';
import { verifySecret } from '../users/passwords.js';
import type { StoredUser } from '../users/stored-user.js';
import { carriesIdentifier } from '../users/user-identifiers.js';
import { isActiveUser } from '../users/user-liveness.js';
import type { DatabaseUserLoaders, UserLoaders } from '../users/user-loaders.js';
import { parseBasicCredentials } from './basic-credentials.js';
import { callerOf, type Caller } from './caller.js';
import { CredentialCache, type Verified, type VerifiedCredential } from './credential-cache.js';
import { Lockouts, type AttemptOrigin, type Lockout, type Refusal } from './lockouts.js';

/** Who a request runs as. */
export interface Authentication {
  caller: Caller;
  /**
   * Null when `caller` was read in this request. Otherwise `caller` is the one a
   * recently verified credential remembers, and this settles with the caller as
   * CouchDB holds it now (read in the request's first batch, together with what the
   * operation reads), or rejects with 401 when the credential no longer verifies.
   */
  confirmation: Promise<Caller> | null;
  /**
   * Whether the credential still authenticates as this (newer) document of the caller:
   * ACTIVE, not deleted, carrying the identifier and the stored hash the secret matched.
   * What a long-lived subscription re-checks on every change of its caller.
   */
  stillVerifies(user: StoredUser): boolean;
}

export interface AuthenticatorOptions {
  cacheTtlMs: number;
  maxFailures: number;
  maxAddressFailures: number;
  maxIdentifierFailures: number;
  failureWindowMs: number;
  bcryptRounds: number;
  /** Told of every lockout as it begins (identifier and address, never a secret). */
  onLockout?: (lockout: Lockout) => void;
}

/**
 * Authenticates `Authorization: Basic` requests (iCure Lite's rules): the
 * identifier is a user id, login or email, optionally `groupId/identifier`; the
 * secret a password or a live authentication token; only ACTIVE, non-deleted
 * users qualify. Failures count towards the lockouts (see Lockouts).
 */
export class Authenticator {
  private readonly cache: CredentialCache;
  private readonly lockouts: Lockouts;
  /** Compared against when the user is unknown, so that the answer takes as long. */
  private readonly decoyHash: string;

  constructor(options: AuthenticatorOptions) {
    this.cache = new CredentialCache(options.cacheTtlMs);
    this.lockouts = new Lockouts({ ...options, windowMs: options.failureWindowMs });
    this.decoyHash = bcrypt.hashSync('decoy password', options.bcryptRounds);
  }

  /** Who the request runs as, null when it carries no credentials; throws 401 or 429. */
  async authenticate(authorization: string | null, clientAddress: string, users: UserLoaders): Promise<Authentication | null> {
    const credentials = parseBasicCredentials(authorization);
    if (credentials === null) return null;
    if (credentials === 'malformed' || (credentials.groupId !== null && !groupIdSchema.safeParse(credentials.groupId).success)) {
      this.lockouts.recordFailure({ identifier: null, address: clientAddress });
      throw unauthenticated('Malformed Basic credentials');
    }
    const { groupId, identifier, secret } = credentials;
    const origin = { identifier: groupId === null ? identifier : `${groupId}/${identifier}`, address: clientAddress };
    const attempt: Attempt = { groupId, identifier, secret, origin, loaders: users.of(groupId) };
    refuse(this.lockouts.pairRefusal(origin));

    const remembered = this.cache.lookup(groupId ?? '', identifier, secret);
    const authenticatedAs = (verified: Verified): Authentication => ({
      caller: callerOf(verified.user, groupId),
      confirmation: null,
      stillVerifies: new CredentialMatch(identifier, verified.matched).bound(),
    });
    if (!remembered) return authenticatedAs(await this.verify(attempt));
    // The feed-coherent cache holds the caller's current document: confirmed at once.
    const cached = attempt.loaders.cached(remembered.user._id);
    if (cached !== undefined) return authenticatedAs(this.confirmed(attempt, remembered, cached) ?? (await this.verify(attempt)));
    const match = new CredentialMatch(identifier, remembered.matched);
    const confirmation = this.confirm(attempt, remembered).then((verified) => {
      match.matched = verified.matched;
      return callerOf(verified.user, groupId);
    });
    // Awaited by the execution; a request that stops before it must not leave an unhandled rejection.
    confirmation.catch(() => {});
    return { caller: callerOf(remembered.user, groupId), confirmation, stillVerifies: match.bound() };
  }

  /** A remembered credential, checked against the user's document read from CouchDB; else the full way. */
  private async confirm(attempt: Attempt, remembered: VerifiedCredential): Promise<Verified> {
    return this.confirmed(attempt, remembered, await attempt.loaders.byId.load(remembered.user._id)) ?? this.verify(attempt);
  }

  /**
   * The credential as verified, if the user's current document still carries the
   * identifier and the stored hash the secret matched; null (the credential
   * forgotten) otherwise.
   */
  private confirmed(attempt: Attempt, remembered: VerifiedCredential, current: StoredUser | null): Verified | null {
    if (!credentialStillVerifies(current, attempt.identifier, remembered.matched)) {
      remembered.forget();
      return null;
    }
    remembered.refresh(current);
    this.lockouts.recordSuccess(attempt.origin);
    return { user: current, matched: remembered.matched };
  }

  /**
   * The full way, once for concurrent requests with the same credential, unless its
   * address or identifier is throttled. Failures count towards the lockouts.
   */
  private async verify(attempt: Attempt): Promise<Verified> {
    const { groupId, identifier, secret } = attempt;
    refuse(this.lockouts.verificationRefusal(attempt.origin));
    const verified = await this.cache.verifyOnce(groupId ?? '', identifier, secret, () => this.findAndCheck(attempt));
    if (!verified) {
      this.lockouts.recordFailure(attempt.origin);
      throw unauthenticated('Wrong credentials');
    }
    this.lockouts.recordSuccess(attempt.origin);
    return verified;
  }

  /** Finds the user by id, login or email, then tries its live tokens (a fast hash) and its password (bcrypt). */
  private async findAndCheck({ loaders, identifier, secret }: Attempt): Promise<Verified | null> {
    const user = eligible(await loaders.byAnyIdentifier(identifier));
    if (!user) return this.decoy(secret);
    for (const hash of secretHashes(user)) {
      if (hash && (await verifySecret(secret, hash))) return { user, matched: hash };
    }
    return null;
  }

  /** Takes as long as checking a password, for an identifier that matches nobody. */
  private async decoy(secret: string): Promise<null> {
    await bcrypt.compare(secret, this.decoyHash);
    return null;
  }
}

/** One authentication attempt: the credentials, where to look, what to count failures against. */
interface Attempt {
  groupId: string | null;
  identifier: string;
  secret: string;
  origin: AttemptOrigin;
  loaders: DatabaseUserLoaders;
}

function refuse(refusal: Refusal | null): void {
  if (refusal) throw tooManyRequests(refusal.retryAfterSeconds);
}

/** Only live, ACTIVE users authenticate; absence is never remembered. */
function eligible(user: StoredUser | null): StoredUser | null {
  return isActiveUser(user) ? user : null;
}

/**
 * Whether a credential verified earlier still authenticates as this document of its
 * user: live and ACTIVE, carrying the credential's identifier and the stored hash its
 * secret matched (a changed password or a dropped token no longer does). The one
 * rule for a remembered credential and for a subscriber's own changes alike.
 */
export function credentialStillVerifies(user: StoredUser | null, identifier: string, matched: string): user is StoredUser {
  const live = eligible(user);
  return live !== null && carriesIdentifier(live, identifier) && secretHashes(live).includes(matched);
}

/** A credential's identifier and the stored hash its secret matched. */
class CredentialMatch {
  constructor(
    readonly identifier: string,
    public matched: string,
  ) {}

  /**
   * Whether a credential that matched this stored hash still authenticates as this
   * document of its user.
   */
  stillVerifies(user: StoredUser): boolean {
    return credentialStillVerifies(user, this.identifier, this.matched);
  }

  /**
   * `stillVerifies` bound to this match: a bound method rather than a closure, as a
   * subscription keeps it as long as it lasts, and a named closure (tsx keeps names)
   * holds a property dictionary of its own.
   */
  bound(): (user: StoredUser) => boolean {
    return this.stillVerifies.bind(this);
  }
}

/** The stored hashes a secret may match: live tokens first (cheap to check), then the password. */
function secretHashes(user: StoredUser): (string | null | undefined)[] {
  const now = Date.now();
  const tokens = Object.values(user.authenticationTokens ?? {}).filter((token) => token && isTokenLive(token, now));
  return [...tokens.map((token) => token.token), user.passwordHash];
}
