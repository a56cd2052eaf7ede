import bcrypt from 'bcryptjs';
import { groupIdSchema } from '../users/schema/user-arguments.js';
import { isTokenLive } from '../users/authentication-tokens.js';
import { verifySecret } from '../users/passwords.js';
import type { StoredUser } from '../users/stored-user.js';
import type { DatabaseUserLoaders, UserLoaders } from '../users/user-loaders.js';
import { tooManyRequests, unauthenticated } from './auth-errors.js';
import { parseBasicCredentials } from './basic-credentials.js';
import { callerOf, type Caller } from './caller.js';
import { CredentialCache } from './credential-cache.js';
import { FailureLimiter } from './failure-limiter.js';

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

  /** The caller, null when the request carries no credentials; throws 401 or 429. */
  async authenticate(authorization: string | null, clientAddress: string, users: UserLoaders): Promise<Caller | null> {
    const credentials = parseBasicCredentials(authorization);
    if (credentials === null) return null;
    const addressKey = `address:${clientAddress}`;
    this.refuseIfLocked(addressKey);
    if (credentials === 'malformed' || (credentials.groupId !== null && !groupIdSchema.safeParse(credentials.groupId).success)) {
      this.limiter.recordFailure(addressKey);
      throw unauthenticated('Malformed Basic credentials');
    }
    const { groupId, identifier, secret } = credentials;
    const identifierKey = `identifier:${groupId ?? ''}/${identifier}`;
    this.refuseIfLocked(identifierKey);

    const user = await this.verifiedUser(users.of(groupId), groupId ?? '', identifier, secret);
    if (!user) {
      this.limiter.recordFailure(identifierKey);
      this.limiter.recordFailure(addressKey);
      throw unauthenticated('Wrong credentials');
    }
    this.limiter.reset(identifierKey);
    return callerOf(user, groupId);
  }

  private refuseIfLocked(key: string): void {
    const retryAfter = this.limiter.retryAfterSeconds(key);
    if (retryAfter > 0) throw tooManyRequests(retryAfter);
  }

  /**
   * The user these credentials verify for, or null. A recently verified secret
   * costs one read by id and no hashing, as long as the user still carries the
   * identifier and the stored hash it matched; otherwise the full way: find the
   * user by id, login or email, then try its live tokens (a fast hash) and its
   * password (bcrypt).
   */
  private async verifiedUser(loaders: DatabaseUserLoaders, database: string, identifier: string, secret: string): Promise<StoredUser | null> {
    const cached = this.cache.lookup(database, identifier, secret);
    if (cached) {
      const user = eligible(await loaders.byId.load(cached.userId));
      if (user && carriesIdentifier(user, identifier) && cached.stillMatches(secretHashes(user))) return user;
    }
    const user = eligible(await loaders.byAnyIdentifier(identifier));
    if (!user) return this.decoy(secret);
    for (const hash of secretHashes(user)) {
      if (hash && (await verifySecret(secret, hash))) {
        this.cache.remember(database, identifier, secret, user._id, hash);
        return user;
      }
    }
    return null;
  }

  private async decoy(secret: string): Promise<null> {
    await bcrypt.compare(secret, this.decoyHash);
    return null;
  }
}

/** Only ACTIVE, non-deleted users authenticate; absence is never remembered. */
function eligible(user: StoredUser | null): StoredUser | null {
  return user && !user.deleted && (user.status ?? 'ACTIVE') === 'ACTIVE' ? user : null;
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
