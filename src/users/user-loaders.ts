import DataLoader from 'dataloader';
import type { UserDatabases } from '../couch/databases.js';
import type { UniqueKind } from './identifier-reservations.js';
import type { StoredUser } from './stored-user.js';
import { identifierLookup } from './user-identifiers.js';
import { UserRepository } from './user-repository.js';
import { linkViews, views, type LinkField } from './user-views.js';

/** Told of each batch: which loader, how many keys. */
export type BatchObserver = (loader: string, size: number) => void;

/** The loaders of one database for one request: each batch is one CouchDB request. */
export class DatabaseUserLoaders {
  readonly repository: UserRepository;
  /** By `_id`, soft-deleted users included (iCure returns them by id). */
  readonly byId: DataLoader<string, StoredUser | null>;
  /** By exact login or email among live users: logins and emails asked together share one view request. */
  readonly byIdentifier: DataLoader<readonly [UniqueKind, string], StoredUser | null, string>;
  /** By link (see `linkViews`): all live users linked to the entity with this id; made when first asked for. */
  private readonly byLink = new Map<LinkField, DataLoader<string, StoredUser[]>>();
  private readonly observe: BatchObserver;

  constructor(repository: UserRepository, observe: BatchObserver = () => {}) {
    this.repository = repository;
    this.observe = observe;
    this.byId = new DataLoader(
      this.observed('byId', (ids: readonly string[]) => repository.getByIds(ids)),
      { maxBatchSize: 1000 },
    );
    // Several live users may share a login or an email in data iCure wrote (its
    // uniqueness check is racy): like iCure, the first one in view order wins.
    this.byIdentifier = new DataLoader(
      this.observed('byIdentifier', async (keys: readonly (readonly [UniqueKind, string])[]) =>
        (await repository.findByViewKeys(views.byIdentifier, keys)).map((users) => users[0] ?? null),
      ),
      { maxBatchSize: 1000, cacheKeyFn: (key) => JSON.stringify(key) },
    );
  }

  /** The live users linked through `field` to the entity with this id, e.g. `linked('healthcarePartyId').load(hcpId)`. */
  linked(field: LinkField): DataLoader<string, StoredUser[]> {
    let loader = this.byLink.get(field);
    if (!loader) {
      const name = `by${field[0]!.toUpperCase()}${field.slice(1)}`;
      loader = new DataLoader(
        this.observed(name, (ids: readonly string[]) => this.repository.findByViewKeys(linkViews[field], ids)),
        { maxBatchSize: 1000 },
      );
      this.byLink.set(field, loader);
    }
    return loader;
  }

  byLogin(login: string): Promise<StoredUser | null> {
    return this.byIdentifier.load(['login', login]);
  }

  byEmail(email: string): Promise<StoredUser | null> {
    return this.byIdentifier.load(['email', email]);
  }

  /**
   * The user with this id, else this login, else this email (iCure's order). The
   * three are asked at once: one `_all_docs` and one view request.
   */
  async byAnyIdentifier(identifier: string): Promise<StoredUser | null> {
    const lookup = identifierLookup(identifier);
    const [byId, byLogin, byEmail] = await Promise.all([this.byId.load(lookup.id), this.byLogin(lookup.login), this.byEmail(lookup.email)]);
    return byId ?? byLogin ?? byEmail;
  }

  /** Later reads of this request see a user just written. */
  remember(user: StoredUser): void {
    this.byId.clear(user._id).prime(user._id, user);
    this.byIdentifier.clearAll();
    for (const loader of this.byLink.values()) loader.clearAll();
  }

  /** A batch function that tells the observer of each batch. */
  private observed<K, V>(loader: string, batch: (keys: readonly K[]) => Promise<V[]>) {
    return (keys: readonly K[]) => {
      this.observe(loader, keys.length);
      return batch(keys);
    };
  }
}

/** Per-request loaders, one set per database the request touches. */
export class UserLoaders {
  private readonly perDatabase = new Map<string, DatabaseUserLoaders>();

  constructor(
    private readonly databases: UserDatabases,
    private readonly observe?: BatchObserver,
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
      loaders = new DatabaseUserLoaders(new UserRepository(this.databases, groupId ?? null), this.observe);
      this.perDatabase.set(name, loaders);
    }
    return loaders;
  }
}
