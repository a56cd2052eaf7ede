import DataLoader from 'dataloader';
import type { UserDatabases } from '../couch/databases.js';
import type { UniqueKind } from './identifier-reservations.js';
import type { StoredUser } from './stored-user.js';
import type { DatabaseUserCache, UserCache } from './user-cache.js';
import { identifierLookup } from './user-identifiers.js';
import { UserRepository, type KeyedId, type KeyedUser, type ViewRangeQuery } from './user-repository.js';
import { linkViews, views, type LinkField, type ViewName } from './user-views.js';

/** Told of each batch that goes to CouchDB: which loader, how many keys. */
export type BatchObserver = (loader: string, size: number) => void;

/**
 * The loaders of one database for one request. Each batch asks the feed-coherent
 * cache first (when the database's feed is live) and CouchDB for the rest, in one
 * request; what CouchDB answers goes into the cache.
 */
export class DatabaseUserLoaders {
  readonly repository: UserRepository;
  /** By `_id`, soft-deleted users included (iCure returns them by id). */
  readonly byId: DataLoader<string, StoredUser | null>;
  /** By exact login or email among live users: logins and emails asked together share one view request. */
  readonly byIdentifier: DataLoader<readonly [UniqueKind, string], StoredUser | null, string>;
  /** By link (see `linkViews`): all live users linked to the entity with this id; made when first asked for. */
  private readonly byLink = new Map<LinkField, DataLoader<string, StoredUser[]>>();
  private readonly cache: DatabaseUserCache | null;

  constructor(
    repository: UserRepository,
    private readonly observe: BatchObserver = () => {},
  ) {
    this.repository = repository;
    this.cache = repository.cache;
    this.byId = new DataLoader((ids: readonly string[]) => this.readByIds(ids), { maxBatchSize: 1000 });
    this.byIdentifier = new DataLoader((keys: readonly (readonly [UniqueKind, string])[]) => this.readByIdentifiers(keys), {
      maxBatchSize: 1000,
      cacheKeyFn: (key) => JSON.stringify(key),
    });
  }

  /** The live users linked through `field` to the entity with this id, e.g. `linked('healthcarePartyId').load(hcpId)`. */
  linked(field: LinkField): DataLoader<string, StoredUser[]> {
    let loader = this.byLink.get(field);
    if (!loader) {
      const name = `by${field[0]!.toUpperCase()}${field.slice(1)}`;
      loader = new DataLoader((ids: readonly string[]) => this.readLinked(name, linkViews[field], ids), { maxBatchSize: 1000 });
      this.byLink.set(field, loader);
    }
    return loader;
  }

  /** The user with this id from the feed-coherent cache (null: not a user); undefined when only CouchDB can say. */
  cached(id: string): StoredUser | null | undefined {
    return this.cache?.get(id);
  }

  byLogin(login: string): Promise<StoredUser | null> {
    return this.byIdentifier.load(['login', login]);
  }

  byEmail(email: string): Promise<StoredUser | null> {
    return this.byIdentifier.load(['email', email]);
  }

  /**
   * The user with this id, else this login, else this email (iCure's order). The
   * three are asked at once: one `_all_docs` and one view request at most.
   */
  async byAnyIdentifier(identifier: string): Promise<StoredUser | null> {
    const lookup = identifierLookup(identifier);
    const [byId, byLogin, byEmail] = await Promise.all([this.byId.load(lookup.id), this.byLogin(lookup.login), this.byEmail(lookup.email)]);
    return byId ?? byLogin ?? byEmail;
  }

  /**
   * Consecutive rows of a `[login, _id]` view with their users. With a live feed,
   * the view gives keys and ids and the users come from the cache (the rest in one
   * `_all_docs`); otherwise the view brings the documents itself.
   */
  async range(view: ViewName, query: ViewRangeQuery): Promise<KeyedUser[]> {
    if (!this.cache?.live()) return this.repository.range(view, query);
    const rows = await this.rangeKeys(view, query);
    const users = await this.usersOf(rows.map((row) => row.id));
    return rows.flatMap((row, index) => {
      const user = users[index];
      return user ? [{ key: row.key, user }] : [];
    });
  }

  /** Consecutive rows of a `[login, _id]` view, without documents. */
  rangeKeys(view: ViewName, query: ViewRangeQuery): Promise<readonly KeyedId[]> {
    return this.viewAnswer(`range\n${view}\n${JSON.stringify(query)}`, () => this.repository.rangeKeys(view, query));
  }

  /** Number of rows of a view with a `_count` reduce. */
  count(view: ViewName): Promise<number> {
    return this.viewAnswer(`count\n${view}`, () => this.repository.count(view));
  }

  /** Later reads of this request see a user just written. */
  remember(user: StoredUser): void {
    this.byId.clear(user._id).prime(user._id, user);
    this.byIdentifier.clearAll();
    for (const loader of this.byLink.values()) loader.clearAll();
  }

  private async readByIds(ids: readonly string[]): Promise<(StoredUser | null)[]> {
    const cached = ids.map((id) => this.cache?.get(id));
    const missing = ids.filter((_, index) => cached[index] === undefined);
    if (missing.length === 0) return cached as (StoredUser | null)[];
    this.observe('byId', missing.length);
    const ticket = this.cache?.ticket() ?? 0;
    const found = new Map<string, StoredUser>();
    for (const user of await this.repository.getByIds(missing)) {
      if (!user) continue;
      found.set(user._id, user);
      this.cache?.fill(user, ticket);
    }
    return ids.map((id, index) => cached[index] ?? found.get(id) ?? null);
  }

  // Several live users may share a login or an email in data iCure wrote (its
  // uniqueness check is racy): like iCure, the first one in view order wins.
  private async readByIdentifiers(keys: readonly (readonly [UniqueKind, string])[]): Promise<(StoredUser | null)[]> {
    const cached = keys.map(([kind, value]) => this.cache?.find(kind, value));
    const missing = keys.filter((_, index) => cached[index] === undefined);
    if (missing.length === 0) return cached as StoredUser[];
    this.observe('byIdentifier', missing.length);
    const ticket = this.cache?.ticket() ?? 0;
    const read = await this.repository.findByViewKeys(views.byIdentifier, missing);
    const found = new Map<string, StoredUser | null>();
    missing.forEach((key, index) => {
      const user = read[index]![0] ?? null;
      if (user) this.cache?.fill(user, ticket);
      found.set(JSON.stringify(key), user);
    });
    return keys.map((key, index) => cached[index] ?? found.get(JSON.stringify(key)) ?? null);
  }

  /** The view's ids with the users from the cache when the feed is live; else the view brings the documents. */
  private async readLinked(loader: string, view: ViewName, ids: readonly string[]): Promise<StoredUser[][]> {
    if (!this.cache?.live()) {
      this.observe(loader, ids.length);
      return this.repository.findByViewKeys(view, ids);
    }
    // Each entity's user ids are a view answer, kept until the database changes.
    const userIds = await this.viewAnswers(
      ids.map((id) => `linked\n${view}\n${id}`),
      (missing) => {
        this.observe(loader, missing.length);
        return this.repository.findIdsByViewKeys(
          view,
          missing.map((index) => ids[index]!),
        );
      },
    );
    const users = await this.usersOf(userIds.flat());
    let next = 0;
    return userIds.map((group) => group.flatMap(() => users[next++] ?? []));
  }

  /** A view answer from the cache while the feed is live and nothing changed since it was read; else CouchDB's, kept. */
  private async viewAnswer<T>(key: string, read: () => Promise<T>): Promise<T> {
    const [answer] = await this.viewAnswers([key], async () => [await read()]);
    return answer!;
  }

  /**
   * View answers by key: those the cache keeps, and the rest from `read` (given the
   * positions of the missing keys) in one request, then kept unless the database
   * changed meanwhile.
   */
  private async viewAnswers<T>(keys: readonly string[], read: (missing: number[]) => Promise<T[]>): Promise<T[]> {
    const answers = keys.map((key) => this.cache?.viewAnswer<T>(key));
    const missing = keys.flatMap((_, index) => (answers[index] === undefined ? [index] : []));
    if (missing.length) {
      const ticket = this.cache?.viewTicket() ?? 0;
      const fresh = await read(missing);
      for (const [position, index] of missing.entries()) {
        answers[index] = fresh[position];
        this.cache?.keepViewAnswer(keys[index]!, fresh[position], ticket);
      }
    }
    return answers as T[];
  }

  /** Users by id through the `byId` loader (cache, then one `_all_docs`), null for ids that are no users. */
  private async usersOf(ids: string[]): Promise<(StoredUser | null)[]> {
    return (await this.byId.loadMany(ids)).map((user) => {
      if (user instanceof Error) throw user;
      return user;
    });
  }
}

/** Per-request loaders, one set per database the request touches. */
export class UserLoaders {
  private readonly perDatabase = new Map<string, DatabaseUserLoaders>();

  constructor(
    private readonly databases: UserDatabases,
    private readonly observe?: BatchObserver,
    private readonly cache: UserCache | null = null,
  ) {}

  /** Ids of the groups that have a database. */
  groupIds(): Promise<string[]> {
    return this.databases.groupIds();
  }

  /** Loaders of a group's database, or of the default one. */
  of(groupId?: string | null): DatabaseUserLoaders {
    const name = this.databases.nameFor(groupId);
    let loaders = this.perDatabase.get(name);
    if (!loaders) {
      loaders = new DatabaseUserLoaders(new UserRepository(this.databases, groupId ?? null, this.cache?.of(name) ?? null), this.observe);
      this.perDatabase.set(name, loaders);
    }
    return loaders;
  }

  /**
   * Forgets the loaders made so far and what they cached: for a request that lives on
   * (a subscription) once it has read what it needed; later reads make new ones.
   */
  release(): void {
    this.perDatabase.clear();
  }
}
