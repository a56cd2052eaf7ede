import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import installAllDbs from 'pouchdb-all-dbs';
import PouchDB, { type PouchDBConstructor } from 'pouchdb-core';
import HttpAdapter from 'pouchdb-adapter-http';
import LevelDbAdapter from 'pouchdb-adapter-leveldb';
import MemoryAdapter from 'pouchdb-adapter-memory';
import PouchFind from 'pouchdb-find';
import Replication from 'pouchdb-replication';
import { embeddedViews } from './embedded-views.js';
import { keyedAllDocs } from './keyed-all-docs.js';

/** Where the embedded store keeps its databases. */
export type EmbeddedStorage = { kind: 'memory' } | { kind: 'leveldb'; directory: string };

/**
 * The leveldb files are held by another process (leveldb allows one at a time);
 * `url` is where that process's store answers, when it said so.
 */
export class StoreInUseError extends Error {
  override name = 'StoreInUseError';

  constructor(
    readonly directory: string,
    readonly url: string | null,
  ) {
    super(`${directory} is in use by another process${url ? `, whose store answers at ${url}` : ''}`);
  }
}

/** A CouchDB-compatible HTTP server running in this process, on loopback only. */
export interface EmbeddedStore {
  /** Base URL, e.g. `http://127.0.0.1:39123`, to hand to the CouchDB client. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts express-pouchdb on PouchDB 9 so that the gateway talks HTTP to it exactly
 * as it would to a real CouchDB. Memory storage is for tests; leveldb persists
 * under `directory` across restarts.
 */
// Plugins change the PouchDB constructor itself, so they are installed once per
// process; each store gets its own `defaults()` constructor. pouchdb-replication is
// required: without it express-pouchdb crashes at start with a misleading
// "Security methods already installed".
const PouchWithPlugins = PouchDB.plugin(HttpAdapter)
  .plugin(embeddedViews)
  .plugin(PouchFind)
  .plugin(Replication)
  .plugin(MemoryAdapter)
  .plugin(LevelDbAdapter)
  .plugin(keyedAllDocs);

// Documents read per step of an index build (PouchDB's default, 50, costs a round of
// bookkeeping reads and writes every 50 documents).
const VIEW_BUILD_BATCH = 500;

/** Where a store on leveldb says its URL, for other processes that find the files locked. */
const URL_FILE = 'store-url';

export async function startEmbeddedStore(storage: EmbeddedStorage): Promise<EmbeddedStore> {
  let pouch: PouchDBConstructor;
  if (storage.kind === 'memory') {
    // Memory databases are process-wide by name: a prefix of its own keeps each store's apart.
    pouch = PouchWithPlugins.defaults({ adapter: 'memory', prefix: `${randomUUID()}/`, view_update_changes_batch_size: VIEW_BUILD_BATCH });
  } else {
    await mkdir(storage.directory, { recursive: true });
    pouch = PouchWithPlugins.defaults({
      adapter: 'leveldb',
      prefix: `${path.resolve(storage.directory)}${path.sep}`,
      view_update_changes_batch_size: VIEW_BUILD_BATCH,
    });
    await claimDirectory(pouch, storage.directory);
  }
  const detachAllDbs = installDatabaseList(pouch);
  // The CouchDB API the gateway uses (databases, documents, _all_docs, _bulk_docs,
  // views, _changes) and nothing more: the full mode adds a request log, sessions,
  // a disk-size lookup per request and gzip, which cost more CPU than the reads
  // themselves. CouchDB does not compress JSON responses either.
  const app = expressPouchDB(pouch, { mode: 'minimumForPouchDB', overrideMode: { exclude: ['compression'] } });
  const server = createServer(app);
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const urlFile = storage.kind === 'leveldb' ? path.join(storage.directory, URL_FILE) : null;
  if (urlFile) await writeFile(urlFile, url);
  return {
    url,
    async close() {
      await closeServer(server);
      detachAllDbs();
      if (urlFile) await rm(urlFile, { force: true });
    },
  };
}

/**
 * Installs pouchdb-all-dbs (the list behind `_all_dbs` and database existence) on a store's
 * constructor, which express-pouchdb then uses instead of installing its own. Its listeners
 * land on PouchDB's process-wide event emitter: left there after a store closes, every later
 * database creation in the process would also be recorded by the closed stores' listeners,
 * racing each other into logged 409 conflicts. The returned function removes them. (Stores
 * open at the same time still list each other's database names: the events carry only a name.)
 */
function installDatabaseList(pouch: PouchDBConstructor): () => void {
  const events = ['created', 'destroyed'] as const;
  const before = new Map(events.map((event) => [event, new Set(PouchWithPlugins.listeners(event))]));
  installAllDbs(pouch);
  const added = events.flatMap((event) =>
    PouchWithPlugins.listeners(event)
      .filter((listener) => !before.get(event)?.has(listener))
      .map((listener) => [event, listener] as const),
  );
  return () => {
    for (const [event, listener] of added) PouchWithPlugins.removeListener(event, listener);
  };
}

/**
 * Opens express-pouchdb's list of databases now, so that files locked by another
 * process are reported at start, and as such, rather than as leveldb's `LOCK` error
 * in the first request.
 */
async function claimDirectory(pouch: PouchDBConstructor, directory: string): Promise<void> {
  try {
    await new pouch('pouch__all_dbs__').info();
  } catch (error) {
    // leveldb: "IO error: lock <dir>/LOCK: Resource temporarily unavailable" (held by another process).
    if (!/IO error: lock /.test(error instanceof Error ? error.message : '')) throw error;
    const url = await readFile(path.join(directory, URL_FILE), 'utf8').catch(() => null);
    throw new StoreInUseError(directory, url);
  }
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
