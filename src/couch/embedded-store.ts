import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
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
import MapReduce from 'pouchdb-mapreduce';
import Replication from 'pouchdb-replication';
import { keyedAllDocs } from './keyed-all-docs.js';

/** Where the embedded store keeps its databases. */
export type EmbeddedStorage = { kind: 'memory' } | { kind: 'leveldb'; directory: string };

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
  .plugin(MapReduce)
  .plugin(PouchFind)
  .plugin(Replication)
  .plugin(MemoryAdapter)
  .plugin(LevelDbAdapter)
  .plugin(keyedAllDocs);

export async function startEmbeddedStore(storage: EmbeddedStorage): Promise<EmbeddedStore> {
  let pouch: PouchDBConstructor;
  if (storage.kind === 'memory') {
    // Memory databases are process-wide by name: a prefix of its own keeps each store's apart.
    pouch = PouchWithPlugins.defaults({ adapter: 'memory', prefix: `${randomUUID()}/` });
  } else {
    await mkdir(storage.directory, { recursive: true });
    pouch = PouchWithPlugins.defaults({ adapter: 'leveldb', prefix: `${path.resolve(storage.directory)}${path.sep}` });
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
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await closeServer(server);
      detachAllDbs();
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
  const added = events.flatMap((event) => PouchWithPlugins.listeners(event).filter((listener) => !before.get(event)?.has(listener)).map((listener) => [event, listener] as const));
  return () => {
    for (const [event, listener] of added) PouchWithPlugins.removeListener(event, listener);
  };
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
