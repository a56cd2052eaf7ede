import type { DocumentScope } from 'nano';
import { callCouch, isNotFound, readCouch } from '../couch/couch-errors.js';
import type { UserDatabases } from '../couch/databases.js';
import { DESIGN_DOCUMENT_NAME } from '../couch/design-document.js';
import { isStoredUser, type StoredUser } from './stored-user.js';
import type { DatabaseUserCache } from './user-cache.js';
import type { ViewName } from './user-views.js';

/** A view row with its user: the key locates the user in the view's order. */
export interface KeyedUser {
  key: unknown;
  user: StoredUser;
}

/** A view row's place: its key and the id of its document. */
export interface KeyedId {
  key: unknown;
  id: string;
}

export interface ViewRangeQuery {
  /** Inclusive start of the range in the direction of travel; the view's end when absent. */
  startkey?: unknown;
  descending: boolean;
  limit: number;
}

interface ViewRow {
  key: unknown;
  id?: string;
  value?: unknown;
  doc?: unknown;
}

/**
 * Every CouchDB call about users of one database goes through here. Reads of a
 * group database that does not exist yet answer as an empty database would. The
 * users it writes go into the cache at once (read-your-writes); its reads always ask
 * CouchDB (the loaders ask the cache first).
 */
export class UserRepository {
  constructor(
    private readonly databases: UserDatabases,
    private readonly groupId: string | null,
    readonly cache: DatabaseUserCache | null = null,
  ) {}

  /** One `_all_docs` request; soft-deleted users included, other document types not. */
  async getByIds(ids: readonly string[]): Promise<(StoredUser | null)[]> {
    return (await this.getDocuments(ids)).map((doc) => (isStoredUser(doc) ? doc : null));
  }

  /** Many documents of any type by id in one `_all_docs` request; null for a missing or deleted one. */
  async getDocuments<T extends { _id: string }>(ids: readonly string[]): Promise<(T | null)[]> {
    const db = await this.databases.openIfExists(this.groupId);
    if (!db || !ids.length) return ids.map(() => null);
    const response = await readCouch(() => db.fetch({ keys: [...ids] }));
    const found = new Map<string, T>();
    for (const row of response.rows as ViewRow[]) {
      const doc = row.doc as T | null | undefined;
      if (doc) found.set(doc._id, doc);
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  /** One view request for many keys; the users of each key, in the view's order. */
  findByViewKeys(view: ViewName, keys: readonly unknown[]): Promise<StoredUser[][]> {
    return this.groupByKey(view, keys, true, (row) => (isStoredUser(row.doc) ? row.doc : null));
  }

  /** One view request for many keys, without documents: the ids of each key, in the view's order. */
  findIdsByViewKeys(view: ViewName, keys: readonly unknown[]): Promise<string[][]> {
    return this.groupByKey(view, keys, false, (row) => (typeof row.id === 'string' ? row.id : null));
  }

  /** One view request for many keys; what `pick` takes of each row (null: nothing), grouped by key. */
  private async groupByKey<T>(view: ViewName, keys: readonly unknown[], withDocs: boolean, pick: (row: ViewRow) => T | null): Promise<T[][]> {
    const db = await this.databases.openIfExists(this.groupId);
    if (!db) return keys.map(() => []);
    const rows = await queryView(db, view, { keys: [...keys], include_docs: withDocs });
    const byKey = new Map<string, T[]>();
    for (const row of rows) {
      const picked = pick(row);
      if (picked === null) continue;
      const key = JSON.stringify(row.key);
      byKey.set(key, [...(byKey.get(key) ?? []), picked]);
    }
    return keys.map((key) => byKey.get(JSON.stringify(key)) ?? []);
  }

  /** Consecutive rows of a `[login, _id]` view, without documents. */
  async rangeKeys(view: ViewName, query: ViewRangeQuery): Promise<KeyedId[]> {
    const db = await this.databases.openIfExists(this.groupId);
    if (!db) return [];
    const rows = await queryView(db, view, rangeParams(query, false));
    return rows.flatMap((row) => (typeof row.id === 'string' ? [{ key: row.key, id: row.id }] : []));
  }

  /** Consecutive rows of a `[login, _id]` view with their users. */
  async range(view: ViewName, query: ViewRangeQuery): Promise<KeyedUser[]> {
    const db = await this.databases.openIfExists(this.groupId);
    if (!db) return [];
    const rows = await queryView(db, view, rangeParams(query, true));
    return rows.flatMap((row) => (isStoredUser(row.doc) ? [{ key: row.key, user: row.doc }] : []));
  }

  /** The latest revision of one document, deleted users included; null when absent. */
  async getDocument<T extends { _id: string }>(id: string): Promise<T | null> {
    const db = await this.databases.open(this.groupId);
    try {
      return (await readCouch(() => db.get(id))) as unknown as T;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * Writes a document: a new one when it has no `_rev`, else that revision's
   * successor. Returns the new revision, or null when CouchDB refused it with 409
   * (the id exists already, or the revision is stale) or a concurrent writer won
   * (see DocumentWrites): CouchDB's own check is what makes concurrent writers safe.
   */
  async putDocument(doc: { _id: string; _rev?: string }): Promise<string | null> {
    await this.databases.open(this.groupId);
    const ticket = this.cache?.ticket() ?? 0;
    const rev = await callCouch(() => this.databases.documents.put(this.databases.nameFor(this.groupId), doc));
    const written = { ...doc, _rev: rev };
    if (rev !== null && isStoredUser(written)) this.cache?.wrote(written, ticket);
    return rev;
  }

  /** Deletes one revision of a document; false when it was gone or had changed. */
  async deleteDocument(id: string, rev: string): Promise<boolean> {
    await this.databases.open(this.groupId);
    return callCouch(() => this.databases.documents.delete(this.databases.nameFor(this.groupId), id, rev));
  }

  /**
   * Writes new documents in one `_bulk_docs` request (seeding, imports), creating the
   * database if needed. Returns the ids CouchDB refused, with its reason; `conflict`
   * when the id exists already (CouchDB's per-document check, as for `putDocument`).
   */
  async insertMany(docs: readonly { _id: string }[]): Promise<{ id: string; conflict: boolean; error: string }[]> {
    if (!docs.length) return [];
    const db = await this.databases.open(this.groupId);
    const results = await callCouch(() => db.bulk({ docs: [...docs] }));
    return results.flatMap((result) =>
      result.error ? [{ id: result.id ?? '', conflict: result.error === 'conflict', error: `${result.error}: ${result.reason ?? ''}` }] : [],
    );
  }

  /** Whether a map-only view has any row. */
  async hasAny(view: ViewName): Promise<boolean> {
    const db = await this.databases.openIfExists(this.groupId);
    return db !== null && (await queryView(db, view, { limit: 1 })).length > 0;
  }

  /** Number of rows of a view with a `_count` reduce. */
  async count(view: ViewName): Promise<number> {
    const db = await this.databases.openIfExists(this.groupId);
    if (!db) return 0;
    const rows = await queryView(db, view, { reduce: true });
    return typeof rows[0]?.value === 'number' ? rows[0].value : 0;
  }
}

function rangeParams(query: ViewRangeQuery, withDocs: boolean): Record<string, unknown> {
  return {
    include_docs: withDocs,
    reduce: false,
    descending: query.descending,
    limit: query.limit,
    ...(query.startkey === undefined ? {} : { startkey: query.startkey }),
  };
}

async function queryView(db: DocumentScope<unknown>, view: ViewName, params: Record<string, unknown>): Promise<ViewRow[]> {
  const response = await readCouch(() => db.view(DESIGN_DOCUMENT_NAME, view, params));
  return response.rows as ViewRow[];
}
