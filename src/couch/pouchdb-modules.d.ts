// express-pouchdb and the PouchDB 9 packages ship no type declarations; we use
// them only through the narrow surface declared here.
declare module 'pouchdb-core' {
  export interface PouchDBConstructor {
    readonly prototype: object;
    plugin(plugin: unknown): PouchDBConstructor;
    defaults(options: Record<string, unknown>): PouchDBConstructor;
  }
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}
declare module 'pouchdb-adapter-memory';
declare module 'pouchdb-adapter-leveldb';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-mapreduce';
declare module 'pouchdb-find';
declare module 'pouchdb-replication';
declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  type ExpressPouchDBApp = RequestListener & { setPouchDB?: (pouch: unknown) => void };
  function expressPouchDB(pouch: unknown, options: Record<string, unknown>): ExpressPouchDBApp;
  export default expressPouchDB;
}
