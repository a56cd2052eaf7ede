import DataLoader from 'dataloader';
import type { UserDatabases } from '../couch/databases.js';
import { views } from '../couch/design-document.js';
import type { UniqueKind } from './identifier-reservations.js';
import type { StoredUser } from './stored-user.js';
import { UserRepository } from './user-repository.js';

/** Told of each batch: which loader, how many keys. */
export type BatchObserver = (loader: string, size: number) => void;

/** The loaders of one database for one request: each batch is one CouchDB request. */
export class DatabaseUserLoaders {
  readonly repository: UserRepository;
  /** By `_id`, soft-deleted users included (iCure returns them by id). */
  readonly byId: DataLoader<string, StoredUser | null>;
  /** By exact login or email among live users: logins and emails asked together share one view request. */
  readonly byIdentifier: DataLoader<readonly [UniqueKind, string], StoredUser | null, string>;
  /** All live users linked to a healthcare party. */
  readonly byHealthcarePartyId: DataLoader<string, StoredUser[]>;

  constructor(repository: UserRepository, observe: BatchObserver = () => {}) {
    this.repository = repository;
    const observed = <K, V>(loader: string, batch: (keys: readonly K[]) => Promise<V[]>) => (keys: readonly K[]) => {
      observe(loader, keys.length);
      return batch(keys);
    };
    this.byId = new DataLoader(
      observed('byId', (ids: readonly string[]) => repository.getByIds(ids)),
      { maxBatchSize: 1000 },
    );
    // Several live users may share a login or an email in data iCure wrote (its
    // uniqueness check is racy): like iCure, the first one in view order wins.
    this.byIdentifier = new DataLoader(
      observed('byIdentifier', async (keys: readonly (readonly [UniqueKind, string])[]) =>
        (await repository.findByViewKeys(views.byIdentifier, keys)).map((users) => users[0] ?? null),
      ),
      { maxBatchSize: 1000, cacheKeyFn: (key) => JSON.stringify(key) },
    );
    this.byHealthcarePartyId = new DataLoader(
      observed('byHealthcarePartyId', (ids: readonly string[]) => repository.findByViewKeys(views.byHealthcarePartyId, ids)),
      { maxBatchSize: 1000 },
    );
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
    const [byId, byLogin, byEmail] = await Promise.all([this.byId.load(identifier), this.byLogin(identifier.trim()), this.byEmail(identifier)]);
    return byId ?? byLogin ?? byEmail;
  }

  /** Later reads of this request see a user just written. */
  remember(user: StoredUser): void {
    this.byId.clear(user._id).prime(user._id, user);
    this.byIdentifier.clearAll();
    this.byHealthcarePartyId.clearAll();
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
