import DataLoader from 'dataloader';
import type { UserDatabases } from '../couch/databases.js';
import { views } from '../couch/design-document.js';
import type { StoredUser } from './stored-user.js';
import { UserRepository } from './user-repository.js';

/** The loaders of one database for one request: each batch is one CouchDB request. */
export class DatabaseUserLoaders {
  readonly repository: UserRepository;
  /** By `_id`, soft-deleted users included (iCure returns them by id). */
  readonly byId: DataLoader<string, StoredUser | null>;
  /** By exact login among live users. */
  readonly byLogin: DataLoader<string, StoredUser | null>;
  /** By exact email among live users. */
  readonly byEmail: DataLoader<string, StoredUser | null>;
  /** All live users linked to a healthcare party. */
  readonly byHealthcarePartyId: DataLoader<string, StoredUser[]>;

  constructor(repository: UserRepository) {
    this.repository = repository;
    this.byId = new DataLoader((ids) => repository.getByIds(ids), { maxBatchSize: 1000 });
    // Several live users may share a login or an email in data iCure wrote (its
    // uniqueness check is racy): like iCure, the first one in view order wins.
    const firstOf = async (kind: 'login' | 'email', values: readonly string[]) =>
      (await repository.findByViewKeys(views.byIdentifier, values.map((value) => [kind, value]))).map((users) => users[0] ?? null);
    this.byLogin = new DataLoader((logins) => firstOf('login', logins), { maxBatchSize: 1000 });
    this.byEmail = new DataLoader((emails) => firstOf('email', emails), { maxBatchSize: 1000 });
    this.byHealthcarePartyId = new DataLoader((ids) => repository.findByViewKeys(views.byHealthcarePartyId, ids), {
      maxBatchSize: 1000,
    });
  }
}

/** Per-request loaders, one set per database the request touches. */
export class UserLoaders {
  private readonly perDatabase = new Map<string, DatabaseUserLoaders>();

  constructor(private readonly databases: UserDatabases) {}

  /** Ids of the groups that have a database. */
  groupIds(): Promise<string[]> {
    return this.databases.groupIds();
  }

  /** Loaders of a group's database, or of the default one. */
  of(groupId?: string | null): DatabaseUserLoaders {
    const name = this.databases.nameFor(groupId);
    let loaders = this.perDatabase.get(name);
    if (!loaders) {
      loaders = new DatabaseUserLoaders(new UserRepository(this.databases, groupId ?? null));
      this.perDatabase.set(name, loaders);
    }
    return loaders;
  }
}
