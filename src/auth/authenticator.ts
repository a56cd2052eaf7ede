import bcrypt from 'bcryptjs';
import { groupIdSchema } from '../users/schema/user-arguments.js';
import { isTokenLive } from '../users/authentication-tokens.js';
import { verifySecret } from '../users/passwords.js';
import type { StoredUser } from '../users/stored-user.js';
import type { DatabaseUserLoaders, UserLoaders } from '../users/user-loaders.js';
import { tooManyRequests, unauthenticated } from './auth-errors.js';
import { parseBasicCredentials } from './basic-credentials.js';
import { callerOf, type Caller } from './caller.js';
import { CredentialCache, type Verified, type VerifiedCredential } from './credential-cache.js';
import { FailureLimiter } from './failure-limiter.js';

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
  failureWindowMs: number;
  bcryptRounds: number;
}

/**
 * Authenticates `Authorization: Basic` requests (iCure Lite's rules): the
 * identifier is a user id, login or email, optionally `groupId/identifier`; the
 * secret a password or a live authentication token; only ACTIVE, non-deleted
 * users qualify. Failures are counted per identifier and per client address.
 */
export class Authenticator {
  private readonly cache: CredentialCache;
  private readonly limiter: FailureLimiter;
  /** Compared against when the user is unknown, so that the answer takes as long. */
  private readonly decoyHash: string;

  constructor(options: AuthenticatorOptions) {
    this.cache = new CredentialCache(options.cacheTtlMs);
    this.limiter = new FailureLimiter(options.maxFailures, options.failureWindowMs);
    this.decoyHash = bcrypt.hashSync('decoy password', options.bcryptRounds);
  }

  /** Who the request runs as, null when it carries no credentials; throws 401 or 429. */
  async authenticate(authorization: string | null, clientAddress: string, users: UserLoaders): Promise<Authentication | null> {
    const credentials = parseBasicCredentials(authorization);
    if (credentials === null) return null;
    const addressKey = `address:${clientAddress}`;
    this.refuseIfLocked(addressKey);
    if (credentials === 'malformed' || (credentials.groupId !== null && !groupIdSchema.safeParse(credentials.groupId).success)) {
      this.limiter.recordFailure(addressKey);
      throw unauthenticated('Malformed Basic credentials');
    }
    const { groupId, identifier, secret } = credentials;
    const attempt: Attempt = { groupId, identifier, secret, addressKey, identifierKey: `identifier:${groupId ?? ''}/${identifier}`, loaders: users.of(groupId) };
    this.refuseIfLocked(attempt.identifierKey);

    const remembered = this.cache.lookup(groupId ?? '', identifier, secret);
    if (!remembered) {
      const verified = await this.verify(attempt);
      return { caller: callerOf(verified.user, groupId), confirmation: null, stillVerifies: (user) => stillVerifies(user, identifier, verified.matched) };
    }
    let matched = remembered.matched;
    const confirmation = this.confirm(attempt, remembered).then((verified) => {
      matched = verified.matched;
      return callerOf(verified.user, groupId);
    });
    // Awaited by the execution; a request that stops before it must not leave an unhandled rejection.
    confirmation.catch(() => {});
    return { caller: callerOf(remembered.user, groupId), confirmation, stillVerifies: (user) => stillVerifies(user, identifier, matched) };
  }

  private refuseIfLocked(key: string): void {
    const retryAfter = this.limiter.retryAfterSeconds(key);
    if (retryAfter > 0) throw tooManyRequests(retryAfter);
  }

  /**
   * A remembered credential, checked against the user's current document: it must
   * still carry the identifier and the stored hash the secret matched. Otherwise the
   * full way, as if nothing were remembered.
   */
  private async confirm(attempt: Attempt, remembered: VerifiedCredential): Promise<Verified> {
    const user = await attempt.loaders.byId.load(remembered.user._id);
    if (!user || !stillVerifies(user, attempt.identifier, remembered.matched)) {
      remembered.forget();
      return this.verify(attempt);
    }
    remembered.refresh(user);
    this.limiter.reset(attempt.identifierKey);
    return { user, matched: remembered.matched };
  }

  /** The full way, once for concurrent requests with the same credential. Failures count towards the lockouts. */
  private async verify(attempt: Attempt): Promise<Verified> {
    const { groupId, identifier, secret } = attempt;
    const verified = await this.cache.verifyOnce(groupId ?? '', identifier, secret, () => this.findAndCheck(attempt));
    if (!verified) {
      this.limiter.recordFailure(attempt.identifierKey);
      this.limiter.recordFailure(attempt.addressKey);
      throw unauthenticated('Wrong credentials');
    }
    this.limiter.reset(attempt.identifierKey);
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
  identifierKey: string;
  addressKey: string;
  loaders: DatabaseUserLoaders;
}

/** Only ACTIVE, non-deleted users authenticate; absence is never remembered. */
function eligible(user: StoredUser | null): StoredUser | null {
  return user && !user.deleted && (user.status ?? 'ACTIVE') === 'ACTIVE' ? user : null;
}

/** Whether a credential that matched this stored hash still authenticates as this document of its user. */
function stillVerifies(user: StoredUser, identifier: string, matched: string): boolean {
  return eligible(user) !== null && carriesIdentifier(user, identifier) && secretHashes(user).includes(matched);
}

function carriesIdentifier(user: StoredUser, identifier: string): boolean {
  return user._id === identifier || user.login === identifier.trim() || (Boolean(user.email) && user.email === identifier);
}

/** The stored hashes a secret may match: live tokens first (cheap to check), then the password. */
function secretHashes(user: StoredUser): (string | null | undefined)[] {
  const now = Date.now();
  const tokens = Object.values(user.authenticationTokens ?? {}).filter((token) => token && isTokenLive(token, now));
  return [...tokens.map((token) => token.token), user.passwordHash];
}
