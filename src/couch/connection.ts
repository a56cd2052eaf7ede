import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/environment.js';
import { createCouchClient, type CouchClientOptions } from './client.js';
import { UserDatabases } from './databases.js';
import type { DesignViews } from './design-document.js';
import { startEmbeddedStore, type EmbeddedStore } from './embedded-store.js';

/**
 * The configured CouchDB, ready to use: the embedded store started if needed, the
 * default database prepared with the design document's `views`.
 */
export interface CouchConnection {
  readonly databases: UserDatabases;
  close(): Promise<void>;
}

export async function connectCouch(
  config: GatewayConfig,
  views: DesignViews,
  logger: Logger,
  observe?: CouchClientOptions['observe'],
): Promise<CouchConnection> {
  let store: EmbeddedStore | null = null;
  let url: string;
  if (config.couch.kind === 'embedded') {
    store = await startEmbeddedStore(config.couch.storage);
    logger.info({ storage: config.couch.storage }, 'started the embedded CouchDB-compatible store');
    url = store.url;
  } else {
    url = config.couch.url;
  }
  const client = createCouchClient({
    url,
    timeoutMs: config.couchTimeoutMs,
    maxConnections: config.couchMaxConnections,
    maxPending: config.couchMaxPending,
    observe,
  });
  const databases = new UserDatabases(client.server, config.dbPrefix, views);
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
  return { databases, close };
}
