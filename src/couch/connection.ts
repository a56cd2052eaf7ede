import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/environment.js';
import { createCouchClient, type CouchClientOptions } from './client.js';
import { UserDatabases } from './databases.js';
import { startEmbeddedStore, StoreInUseError, type EmbeddedStore } from './embedded-store.js';

/** The configured CouchDB, ready to use: the embedded store started if needed, the default database prepared. */
export interface CouchConnection {
  readonly databases: UserDatabases;
  /** The embedded store's URL (other processes may use it as COUCHDB_URL), null with a CouchDB server. */
  readonly embeddedStoreUrl: string | null;
  close(): Promise<void>;
}

/** DATA_DIR's store is held by another process: the message says how to reach it instead. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';

  constructor(dataDir: string, url: string | null) {
    const reach = url ? `COUCHDB_URL=${url} (e.g. COUCHDB_URL=${url} npm run seed)` : 'COUCHDB_URL set to the embedded store URL it printed at start';
    super(`DATA_DIR is in use by a running gateway (${dataDir}): stop it, or reach its data through its store with ${reach}`);
  }
}

export async function connectCouch(
  config: GatewayConfig,
  logger: Logger,
  observe?: CouchClientOptions['observe'],
): Promise<CouchConnection> {
  let store: EmbeddedStore | null = null;
  let url: string;
  if (config.couch.kind === 'embedded') {
    try {
      store = await startEmbeddedStore(config.couch.storage);
    } catch (error) {
      if (error instanceof StoreInUseError) throw new DataDirInUseError(config.dataDir, error.url);
      throw error;
    }
    logger.info({ storage: config.couch.storage, url: store.url }, `started the embedded CouchDB-compatible store at ${store.url}`);
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
  const databases = new UserDatabases(client.server, config.dbPrefix, logger);
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
  return { databases, embeddedStoreUrl: store?.url ?? null, close };
}
