import { createHash, createHmac, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Credentials verified recently, so that bcrypt is not paid on every request.
 * Keys are an HMAC (with a key that lives only in this process) of the database,
 * the identifier and the secret: the cache holds nothing a thief could log in with.
 * Each entry is bound to the stored hash the secret matched, so a changed password
 * or token stops matching at once; status and deletion are checked on every request
 * by the caller. Absences and failures are never cached.
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries: LRUCache<string, { userId: string; matched: string }> | null;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.entries = ttlMs > 0 ? new LRUCache({ max: maxEntries, ttl: ttlMs }) : null;
  }

  /** The user this secret was verified for, and a check that the hash it matched is still among the user's. */
  lookup(database: string, identifier: string, secret: string): { userId: string; stillMatches(hashes: (string | null | undefined)[]): boolean } | null {
    const entry = this.entries?.get(this.keyOf(database, identifier, secret));
    if (!entry) return null;
    return {
      userId: entry.userId,
      stillMatches: (hashes) => hashes.some((hash) => hash && fingerprint(hash) === entry.matched),
    };
  }

  remember(database: string, identifier: string, secret: string, userId: string, matchedHash: string): void {
    this.entries?.set(this.keyOf(database, identifier, secret), { userId, matched: fingerprint(matchedHash) });
  }

  private keyOf(database: string, identifier: string, secret: string): string {
    return createHmac('sha256', this.key).update(`${database}\u0000${identifier}\u0000${secret}`).digest('base64');
  }
}

function fingerprint(storedHash: string): string {
  return createHash('sha256').update(storedHash).digest('base64');
}
