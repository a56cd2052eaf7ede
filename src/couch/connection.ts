import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/environment.js';
import { createCouchClient, type CouchClientOptions, type CouchNodeStatus } from './client.js';
import { UserDatabases } from './databases.js';
import { DocumentWrites } from './document-writes.js';
import { startEmbeddedStore, type EmbeddedStore } from './embedded-store.js';

/** The configured CouchDB, ready to use: the embedded store started if needed, the default database prepared. */
export interface CouchConnection {
  readonly databases: UserDatabases;
  /** Whether each CouchDB node answers. */
  nodes(): Promise<CouchNodeStatus[]>;
  close(): Promise<void>;
}

export async function connectCouch(
  config: GatewayConfig,
  logger: Logger,
  observe?: CouchClientOptions['observe'],
): Promise<CouchConnection> {
  let store: EmbeddedStore | null = null;
  let urls: string[];
  if (config.couch.kind === 'embedded') {
    store = await startEmbeddedStore(config.couch.storage);
    logger.info({ storage: config.couch.storage }, 'started the embedded CouchDB-compatible store');
    urls = [store.url];
  } else {
    urls = config.couch.urls;
  }
  const client = createCouchClient({
    urls,
    timeoutMs: config.couchTimeoutMs,
    maxConnections: config.couchMaxConnections,
    maxPending: config.couchMaxPending,
    observe,
  });
  const databases = new UserDatabases(client.server, config.dbPrefix, new DocumentWrites(client));
  const close = async () => {
    databases.close();
    await client.close();
    await store?.close();
  };
  try {
    await databases.open();
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { databases, nodes: () => client.nodes(), close };
}
