import { createHash, createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { StoredUser } from '../users/stored-user.js';

/** A credential verified earlier: the user it verified for, as it was then. */
export interface VerifiedCredential {
  user: StoredUser;
  /** Whether the stored hash the secret matched is still among these. */
  stillMatches(hashes: (string | null | undefined)[]): boolean;
  /** Keeps a newer document of the user, the credential still verifying for it. */
  refresh(user: StoredUser): void;
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
  private readonly entries: LRUCache<string, { user: StoredUser; matched: string }> | null;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.entries = ttlMs > 0 ? new LRUCache({ max: maxEntries, ttl: ttlMs }) : null;
  }

  lookup(database: string, identifier: string, secret: string): VerifiedCredential | null {
    const entry = this.entries?.get(this.keyOf(database, identifier, secret));
    if (!entry) return null;
    return {
      user: entry.user,
      stillMatches: (hashes) => hashes.some((hash) => hash && fingerprint(hash) === entry.matched),
      refresh: (user) => {
        entry.user = user;
      },
    };
  }

  remember(database: string, identifier: string, secret: string, user: StoredUser, matchedHash: string): void {
    this.entries?.set(this.keyOf(database, identifier, secret), { user, matched: fingerprint(matchedHash) });
  }

  private keyOf(database: string, identifier: string, secret: string): string {
    return createHmac('sha256', this.key).update(`${database}\u0000${identifier}\u0000${secret}`).digest('base64');
  }
}

function fingerprint(storedHash: string): string {
  return createHash('sha256').update(storedHash).digest('base64');
}
