// The CouchDB-compatible store in a process of its own, so that it does not share an
// event loop with the gateway or the load generator (a real CouchDB would not).
// Usage: node --import tsx bench/support/store.ts [--leveldb DIRECTORY]
import { parseArgs } from 'node:util';
import { startEmbeddedStore } from '../../src/couch/embedded-store.js';

const { values } = parseArgs({ options: { leveldb: { type: 'string' } } });
const store = await startEmbeddedStore(values.leveldb ? { kind: 'leveldb', directory: values.leveldb } : { kind: 'memory' });
process.stdout.write(`store listening on ${store.url}\n`);

const stop = () => void store.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
