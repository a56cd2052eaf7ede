import { createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { StoredUser } from '../users/stored-user.js';

/** A user a secret verified for, and the stored hash (password or token) it matched. */
export interface Verified {
  user: StoredUser;
  matched: string;
}

/** A credential verified earlier: the user it verified for, as it was then. */
export interface VerifiedCredential {
  user: StoredUser;
  /** The stored hash the secret matched (a long-lived subscription keeps checking it is still there). */
  matched: string;
  /** Keeps a newer document of the user, the credential still verifying for it. */
  refresh(user: StoredUser): void;
  /** Drops the entry: the credential no longer verifies as it did. */
  forget(): void;
}

/**
 * Credentials verified recently, so that bcrypt is not paid on every request.
 * Keys are an HMAC (with a key that lives only in this process) of the database,
 * the identifier and the secret: the cache holds nothing a thief could log in with.
 * Each entry is bound to the stored hash the secret matched, so a changed password
 * or token stops matching at once; the user document kept with it only stands in
 * until the request reads the current one. Absences and failures are never cached.
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries: LRUCache<string, Verified> | null;
  /** Verifications under way: concurrent requests with one credential pay bcrypt once. */
  private readonly verifying = new Map<string, Promise<Verified | null>>();

  /** `now` (milliseconds, monotonic) times the entries: tests pass a clock of their own. */
  constructor(ttlMs: number, { maxEntries = 10_000, now = () => performance.now() }: { maxEntries?: number; now?: () => number } = {}) {
    // ttlResolution 0: every lookup reads the clock, rather than a time cached for a millisecond.
    this.entries = ttlMs > 0 ? new LRUCache({ max: maxEntries, ttl: ttlMs, perf: { now }, ttlResolution: 0 }) : null;
  }

  lookup(database: string, identifier: string, secret: string): VerifiedCredential | null {
    const key = this.keyOf(database, identifier, secret);
    const entry = this.entries?.get(key);
    if (!entry) return null;
    return {
      user: entry.user,
      matched: entry.matched,
      refresh: (user) => {
        entry.user = user;
      },
      forget: () => this.entries?.delete(key),
    };
  }

  /**
   * The outcome of `verify` for this credential, remembered when it succeeds. Should
   * the same credential be under verification already (a client's first burst, or
   * every request in flight when its entry expires), its outcome is shared.
   */
  verifyOnce(database: string, identifier: string, secret: string, verify: () => Promise<Verified | null>): Promise<Verified | null> {
    const key = this.keyOf(database, identifier, secret);
    let pending = this.verifying.get(key);
    if (!pending) {
      pending = verify()
        .then((verified) => {
          if (verified) this.entries?.set(key, verified);
          return verified;
        })
        .finally(() => this.verifying.delete(key));
      this.verifying.set(key, pending);
    }
    return pending;
  }

  private keyOf(database: string, identifier: string, secret: string): string {
    return createHmac('sha256', this.key).update(`${database}\u0000${identifier}\u0000${secret}`).digest('base64');
  }
}
