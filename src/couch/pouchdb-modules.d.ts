// express-pouchdb and the PouchDB 9 packages ship no type declarations; we use
// them only through the narrow surface declared here.
declare module 'pouchdb-core' {
  export interface PouchDBConstructor {
    new (name: string): { info(): Promise<unknown> };
    readonly prototype: object;
    plugin(plugin: unknown): PouchDBConstructor;
    defaults(options: Record<string, unknown>): PouchDBConstructor;
    /** PouchDB's process-wide event emitter ('created', 'destroyed' of databases). */
    listeners(event: string): ((...args: unknown[]) => void)[];
    removeListener(event: string, listener: (...args: unknown[]) => void): void;
  }
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}
declare module 'pouchdb-adapter-memory';
declare module 'pouchdb-adapter-leveldb';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-abstract-mapreduce' {
  type PouchMethod = (...args: unknown[]) => unknown;
  function createAbstractMapReduce(
    localDocName: string,
    mapper: (mapFunction: string, emit: (key: unknown, value: unknown) => void) => (doc: unknown) => void,
    reducer: (reduceFunction: string) => (keys: unknown[], values: unknown[], rereduce: boolean) => unknown,
    ddocValidator: (ddoc: { _id: string; views?: Record<string, { map?: unknown }> }, viewName: string) => void,
  ): { query: PouchMethod; viewCleanup: PouchMethod };
  export default createAbstractMapReduce;
}
declare module 'pouchdb-mapreduce-utils' {
  export class BuiltInError extends Error {}
  export class NotFoundError extends Error {}
}
declare module 'pouchdb-find';
declare module 'pouchdb-replication';
declare module 'pouchdb-all-dbs' {
  /** Adds `allDbs()` to a PouchDB constructor, kept up to date by listeners on PouchDB's events. */
  export default function installAllDbs(pouch: unknown): void;
}
declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  type ExpressPouchDBApp = RequestListener & { setPouchDB?: (pouch: unknown) => void };
  function expressPouchDB(pouch: unknown, options: Record<string, unknown>): ExpressPouchDBApp;
  export default expressPouchDB;
}
