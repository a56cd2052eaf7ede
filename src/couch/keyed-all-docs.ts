import type { PouchDBConstructor } from 'pouchdb-core';

/** A row of `_all_docs`, as CouchDB and PouchDB write it. */
type AllDocsRow = { id: string; key: string; value: { rev: string; deleted?: true }; doc?: unknown } | { key: string; error: 'not_found' };
type AllDocsResult = { total_rows: number; offset: number; rows: AllDocsRow[] };
type AllDocs = (this: PouchDatabase, options: Record<string, unknown>, callback: (error: unknown, result?: AllDocsResult) => void) => unknown;

/** What a PouchDB database offers this plugin: its adapter's `_allDocs`, and public reads. */
interface PouchDatabase {
  _allDocs: AllDocs;
  get(id: string): Promise<{ _id: string; _rev: string }>;
  info(): Promise<{ doc_count: number }>;
}

type Adapter = ((this: PouchDatabase, options: unknown, callback: (error?: unknown) => void) => void) & Record<string, unknown>;

/**
 * The options read here, and their values that need nothing done (PouchDB has applied
 * `skip`, `limit` and `descending` to the keys already); with any other (conflicts,
 * update_seq…), the adapter's own implementation answers.
 */
const HANDLED_OPTIONS: Record<string, (value: unknown) => boolean> = {
  keys: Array.isArray,
  include_docs: () => true,
  skip: (value) => value === 0,
  descending: (value) => value === false,
  userCtx: () => true,
  secObj: () => true,
};

/**
 * `_all_docs` with `keys` as a document lookup per key. PouchDB's adapters answer it
 * with a range scan per key, whose cost grows with the database: about 3 ms a key at
 * 100 000 documents in the embedded store, where CouchDB's B-tree lookups cost next to
 * nothing; and the gateway reads every user by id this way. A key that is missing,
 * deleted or otherwise unusual is left to the adapter, so every row is PouchDB's own.
 *
 * PouchDB defines its methods on each database when it is created, so this wraps
 * the adapters, which give each database its `_allDocs`.
 */
export function keyedAllDocs(Pouch: PouchDBConstructor): void {
  const adapters = (Pouch as unknown as { adapters: Record<string, Adapter> }).adapters;
  for (const [name, adapter] of Object.entries(adapters)) {
    const wrapped = function (this: PouchDatabase, options: unknown, callback: (error?: unknown) => void) {
      adapter.call(this, options, (error) => {
        if (!error) this._allDocs = withKeyedLookups(this._allDocs);
        callback(error);
      });
    };
    // Adapters carry flags PouchDB reads (valid, use_prefix).
    adapters[name] = Object.assign(wrapped, adapter);
  }
}

function withKeyedLookups(adapterAllDocs: AllDocs): AllDocs {
  return function (this: PouchDatabase, options, callback) {
    const handled = 'keys' in options && Object.entries(options).every(([name, value]) => HANDLED_OPTIONS[name]?.(value) ?? false);
    if (!handled) return adapterAllDocs.call(this, options, callback);
    return lookUp(this, adapterAllDocs, options.keys as string[], options.include_docs === true);
  };
}

async function lookUp(db: PouchDatabase, adapterAllDocs: AllDocs, keys: string[], includeDocs: boolean): Promise<AllDocsResult> {
  const [{ doc_count }, ...rows] = await Promise.all([
    db.info(),
    ...keys.map(async (key): Promise<AllDocsRow> => {
      const doc = typeof key === 'string' && !key.startsWith('_local/') ? await db.get(key).catch(() => null) : null;
      if (doc) return { id: doc._id, key, value: { rev: doc._rev }, ...(includeDocs ? { doc } : {}) };
      const own = await new Promise<AllDocsResult>((resolve, reject) => {
        const answer = adapterAllDocs.call(db, { keys: [key], ...(includeDocs ? { include_docs: true } : {}) }, (error, result) =>
          error ? reject(error) : resolve(result!),
        );
        if (answer instanceof Promise) answer.then(resolve, reject);
      });
      return own.rows[0] ?? { key, error: 'not_found' };
    }),
  ]);
  return { total_rows: doc_count, offset: 0, rows };
}
