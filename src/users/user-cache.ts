import { LRUCache } from 'lru-cache';
import type { ChangeRow } from '../couch/change-feed.js';
import type { StoredUser } from './stored-user.js';
import { userOfRow, type KnownState } from './user-change.js';

/**
 * A moment in a cache's history. A read notes it before it asks CouchDB; its answer
 * is kept only if the feed has delivered no change of that document since, so an
 * answer that a concurrent change overtook never replaces the newer document.
 */
export type CacheTicket = number;

/** What the cache knows of one id: the user at a revision, or that it is not a user (deleted, another type). */
export interface Entry {
  user: StoredUser | null;
  /** When the entry was written, on the cache's own clock. */
  stamp: number;
  /** The document's revision (a deletion has one too). */
  rev: string;
  /** What a read or own write replaced, until the feed delivers the revision that replaced it. */
  replaced?: KnownState;
}

export type IdentifierKind = 'login' | 'email';

/** View answers (page keys, counts) kept per database between two changes of it. */
const VIEW_ANSWERS_MAX = 2000;

/**
 * The user documents of the databases this instance follows, kept coherent by
 * their change feeds: an update replaces, a deletion marks, a read or this
 * instance's own write fills in. One bound for all databases (`USER_CACHE_MAX`
 * entries; the least recently used go first).
 */
export class UserCache {
  private readonly databases = new Map<string, DatabaseUserCache>();
  /** Keyed `<database>\n<id>`. */
  readonly entries: LRUCache<string, Entry>;

  constructor(
    max: number,
    /** Whether the feed of a database is live now. */
    private readonly isLive: (database: string) => boolean,
  ) {
    this.entries = new LRUCache<string, Entry>({
      max,
      dispose: (entry, key) => {
        const split = key.indexOf('\n');
        this.databases.get(key.slice(0, split))?.unindex(key.slice(split + 1), entry.user);
      },
    });
  }

  /** The cache of one database. */
  of(database: string): DatabaseUserCache {
    let cache = this.databases.get(database);
    if (!cache) {
      cache = new DatabaseUserCache(this.entries, database, () => this.isLive(database));
      this.databases.set(database, cache);
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * One database's part of the cache. It answers only while `live()` says its feed
 * is following; otherwise every read goes to CouchDB, and what they bring is kept
 * for the feed's catch-up to correct.
 *
 * Logins and emails of cached, non-deleted users are indexed, so that a lookup that
 * hits one is served from memory; a lookup that hits nothing goes to CouchDB
 * (absence is never answered from the cache).
 */
export class DatabaseUserCache {
  private clock = 0;
  private readonly index: Record<IdentifierKind, Map<string, Set<string>>> = { login: new Map(), email: new Map() };
  /**
   * Answers of view queries, valid until the database changes: any news from the feed
   * or an own write may move a row, so either drops them all. Pages are read far more
   * often than users are written.
   */
  private readonly viewAnswers = new LRUCache<string, { value: unknown }>({ max: VIEW_ANSWERS_MAX });
  /** Counts the changes that dropped the view answers; a view read notes it before asking CouchDB. */
  private viewGeneration = 0;

  constructor(
    private readonly entries: LRUCache<string, Entry>,
    private readonly database: string,
    /** Whether the database's feed is live now. */
    readonly live: () => boolean,
  ) {}

  ticket(): CacheTicket {
    return this.clock;
  }

  /**
   * The user with this id as the feed last showed it, null when the id is known not
   * to be a user, undefined when the cache cannot say. Each answer is an object of its
   * own (GraphQL layers may mark it) over shared, frozen parts.
   */
  get(id: string): StoredUser | null | undefined {
    if (!this.live()) return undefined;
    const entry = this.entries.get(this.key(id));
    if (!entry) return undefined;
    return entry.user && { ...entry.user };
  }

  /** The cached non-deleted user holding this login or email; the smallest id when several do (the view's order). */
  find(kind: IdentifierKind, value: string): StoredUser | undefined {
    if (!this.live()) return undefined;
    const ids = this.index[kind].get(value);
    if (!ids?.size) return undefined;
    const user = this.entries.get(this.key([...ids].sort()[0]!))?.user;
    return user ? { ...user } : undefined;
  }

  /** Keeps what a read brought, unless the feed changed that document after `ticket`. */
  fill(user: StoredUser, ticket: CacheTicket): void {
    const entry = this.entries.peek(this.key(user._id));
    if (entry && entry.stamp > ticket) return;
    // A copy: the caller keeps its object, the cache freezes its own.
    this.write(user._id, user._rev, structuredClone(user));
    if (entry && entry.rev !== user._rev) this.entries.peek(this.key(user._id))!.replaced = { rev: entry.rev, user: entry.user };
  }

  /**
   * The document as the cache knew it before revision `rev`, whether or not the feed
   * is live (for telling what a change did): the cached entry when it is another
   * revision; when a read or own write brought `rev` first, what that replaced.
   */
  stateBefore(id: string, rev: string): KnownState | undefined {
    const entry = this.entries.peek(this.key(id));
    if (!entry) return undefined;
    return entry.rev === rev ? entry.replaced : { rev: entry.rev, user: entry.user };
  }

  /** Keeps a user this instance has just written (read-your-writes); the views may show it differently now. */
  wrote(user: StoredUser, ticket: CacheTicket): void {
    this.viewsChanged();
    this.fill(user, ticket);
  }

  /** Applies the feed's rows: the document each carries is the winning revision now, whatever was cached. */
  apply(rows: readonly ChangeRow[]): void {
    let news = false;
    for (const row of rows) {
      // A replay of what is cached already changes nothing (the feed replays after a failover).
      const entry = this.entries.peek(this.key(row.id));
      if (entry?.rev === row.rev) {
        delete entry.replaced;
        continue;
      }
      news = true;
      this.write(row.id, row.rev, userOfRow(row));
    }
    if (news) this.viewsChanged();
  }

  /** A view read notes this before it asks CouchDB, and hands it back with the answer. */
  viewTicket(): CacheTicket {
    return this.viewGeneration;
  }

  /** A view answer kept since the last change of the database, while the feed is live; undefined otherwise. */
  viewAnswer<T>(key: string): T | undefined {
    if (!this.live()) return undefined;
    return this.viewAnswers.get(key)?.value as T | undefined;
  }

  /** Keeps a view answer, unless the database changed since `ticket` (the answer may predate the change). */
  keepViewAnswer(key: string, value: unknown, ticket: CacheTicket): void {
    if (ticket !== this.viewGeneration || !this.live()) return;
    this.viewAnswers.set(key, { value: deepFreeze(value) });
  }

  private viewsChanged(): void {
    this.viewGeneration++;
    this.viewAnswers.clear();
  }

  /** Drops a user's identifiers from the index (its entry is replaced or evicted). */
  unindex(id: string, user: StoredUser | null): void {
    if (!user) return;
    for (const [kind, value] of identifiersOf(user)) {
      const ids = this.index[kind].get(value);
      ids?.delete(id);
      if (ids?.size === 0) this.index[kind].delete(value);
    }
  }

  private write(id: string, rev: string, user: StoredUser | null): void {
    this.clock++;
    const key = this.key(id);
    const previous = this.entries.peek(key);
    if (previous) this.unindex(id, previous.user);
    this.entries.set(key, { user: user && deepFreeze(user), rev, stamp: this.clock }, { noDisposeOnSet: true });
    if (user && !user.deleted) {
      for (const [kind, value] of identifiersOf(user)) {
        const ids = this.index[kind].get(value) ?? new Set<string>();
        ids.add(id);
        this.index[kind].set(value, ids);
      }
    }
  }

  private key(id: string): string {
    return `${this.database}\n${id}`;
  }
}

/** Shared by every answer: nothing may change it in place. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const part of Object.values(value)) deepFreeze(part);
  }
  return value;
}

function identifiersOf(user: StoredUser): [IdentifierKind, string][] {
  const identifiers: [IdentifierKind, string][] = [];
  if (typeof user.login === 'string') identifiers.push(['login', user.login]);
  if (typeof user.email === 'string' && user.email) identifiers.push(['email', user.email]);
  return identifiers;
}
