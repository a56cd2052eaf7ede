import { LRUCache } from 'lru-cache';
import type { ChangeRow } from '../couch/change-feed.js';
import { isStoredUser, type StoredUser } from './stored-user.js';

/**
 * A moment in a cache's history. A read notes it before it asks CouchDB; its answer
 * is kept only if the feed has delivered no change of that document since, so an
 * answer that a concurrent change overtook never replaces the newer document.
 */
export type CacheTicket = number;

/** What the cache knows of one id: the user at a revision, or that it is not a user (deleted, another type). */
interface Entry {
  user: StoredUser | null;
  /** When the entry was written, on the cache's own clock. */
  stamp: number;
  /** The document's revision (a deletion has one too). */
  rev: string;
}

export type IdentifierKind = 'login' | 'email';

/**
 * The user documents of one database, kept coherent by its change feed: an update
 * replaces, a deletion marks, a read or this instance's own write fills in. Bounded
 * (least recently used go first). It answers only while `isLive()` says the feed is
 * following; otherwise every read goes to CouchDB, and what they bring is kept for
 * the feed's catch-up to correct.
 *
 * Logins and emails of cached, non-deleted users are indexed, so that a lookup that
 * hits one is served from memory; a lookup that hits nothing goes to CouchDB
 * (absence is never answered from the cache).
 */
export class DatabaseUserCache {
  private clock = 0;
  private readonly entries: LRUCache<string, Entry>;
  private readonly index: Record<IdentifierKind, Map<string, Set<string>>> = { login: new Map(), email: new Map() };

  constructor(
    max: number,
    private readonly isLive: () => boolean,
  ) {
    this.entries = new LRUCache<string, Entry>({
      max,
      dispose: (entry, id) => this.unindex(id, entry.user),
    });
  }

  get size(): number {
    return this.entries.size;
  }

  ticket(): CacheTicket {
    return this.clock;
  }

  /**
   * The user with this id as the feed last showed it (a copy: callers may change it),
   * null when the id is known not to be a user, undefined when the cache cannot say.
   */
  get(id: string): StoredUser | null | undefined {
    if (!this.isLive()) return undefined;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    return entry.user && structuredClone(entry.user);
  }

  /** The cached non-deleted user holding this login or email; the smallest id when several do (the view's order). */
  find(kind: IdentifierKind, value: string): StoredUser | undefined {
    if (!this.isLive()) return undefined;
    const ids = this.index[kind].get(value);
    if (!ids?.size) return undefined;
    const id = [...ids].sort()[0]!;
    const user = this.entries.get(id)?.user;
    return user ? structuredClone(user) : undefined;
  }

  /** Keeps what a read or an own write brought, unless the feed changed that document after `ticket`. */
  fill(user: StoredUser, ticket: CacheTicket): void {
    const entry = this.entries.peek(user._id);
    if (entry && entry.stamp > ticket) return;
    this.write(user._id, user._rev, structuredClone(user));
  }

  /** Applies the feed's rows: the document each carries is the winning revision now, whatever was cached. */
  apply(rows: readonly ChangeRow[]): void {
    for (const row of rows) {
      // A replay of what is cached already changes nothing (the feed replays after a failover).
      if (this.entries.peek(row.id)?.rev === row.rev) continue;
      this.write(row.id, row.rev, !row.deleted && isStoredUser(row.doc) ? row.doc : null);
    }
  }

  /** Forgets everything (the feed lost its place and cannot say what changed). */
  clear(): void {
    this.entries.clear();
  }

  private write(id: string, rev: string, user: StoredUser | null): void {
    this.clock++;
    const previous = this.entries.peek(id);
    if (previous) this.unindex(id, previous.user);
    this.entries.set(id, { user, rev, stamp: this.clock }, { noDisposeOnSet: true });
    if (user && !user.deleted) {
      for (const [kind, value] of identifiersOf(user)) {
        const ids = this.index[kind].get(value) ?? new Set<string>();
        ids.add(id);
        this.index[kind].set(value, ids);
      }
    }
  }

  private unindex(id: string, user: StoredUser | null): void {
    if (!user) return;
    for (const [kind, value] of identifiersOf(user)) {
      const ids = this.index[kind].get(value);
      ids?.delete(id);
      if (ids?.size === 0) this.index[kind].delete(value);
    }
  }
}

function identifiersOf(user: StoredUser): [IdentifierKind, string][] {
  const identifiers: [IdentifierKind, string][] = [];
  if (typeof user.login === 'string') identifiers.push(['login', user.login]);
  if (typeof user.email === 'string' && user.email) identifiers.push(['email', user.email]);
  return identifiers;
}
