import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/environment.js';
import { startupFailure } from './couch-errors.js';
import { Agent } from 'undici';
import { createCouchClient, type CouchClientOptions, type CouchNodeStatus } from './client.js';
import { UserDatabases, type FeedSettings } from './databases.js';
import type { DesignViews } from './design-document.js';
import { DocumentWrites } from './document-writes.js';
import { startEmbeddedStore, StoreInUseError, type EmbeddedStore } from './embedded-store.js';

/**
 * The configured CouchDB, ready to use: the embedded store started if needed, the
 * default database prepared with the design document's `views`.
 */
export interface CouchConnection {
  readonly databases: UserDatabases;
  /** The embedded store's URL (other processes may use it as COUCHDB_URL), null with a CouchDB server. */
  readonly embeddedStoreUrl: string | null;
  /** Whether each CouchDB node answers. */
  nodes(): Promise<CouchNodeStatus[]>;
  close(): Promise<void>;
}

/** Who is told of the change feeds' rows and states; null: no feeds (every read goes to CouchDB). */
export type FeedSubscriber = Pick<FeedSettings, 'onChanges' | 'onState'> | null;

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
  views: DesignViews,
  logger: Logger,
  observe?: CouchClientOptions['observe'],
  subscriber: FeedSubscriber = null,
): Promise<CouchConnection> {
  let store: EmbeddedStore | null = null;
  let urls: string[];
  if (config.couch.kind === 'embedded') {
    try {
      store = await startEmbeddedStore(config.couch.storage);
    } catch (error) {
      if (error instanceof StoreInUseError) throw new DataDirInUseError(config.dataDir, error.url);
      throw error;
    }
    logger.info({ storage: config.couch.storage, url: store.url }, `started the embedded CouchDB-compatible store at ${store.url}`);
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
  // One long-lived connection per followed database; the feed's own watchdog detects
  // silence (undici's body timeout would cut an idle feed between heartbeats otherwise).
  const feedDispatcher = new Agent({ connect: { timeout: config.couchTimeoutMs }, headersTimeout: config.couchTimeoutMs, bodyTimeout: 0 });
  const feeds: FeedSettings | null = subscriber && {
    ...subscriber,
    nodes: urls,
    heartbeatMs: config.feed.heartbeatMs,
    maxLagMs: config.feed.maxLagMs,
    dispatcher: feedDispatcher,
  };
  const databases = new UserDatabases(client.server, config.dbPrefix, views, new DocumentWrites(client), logger, feeds);
  const close = async () => {
    await databases.close();
    await feedDispatcher.close();
    await client.close();
    await store?.close();
  };
  try {
    await databases.open();
  } catch (error) {
    await close().catch(() => {});
    throw startupFailure(store ? 'the embedded store' : 'CouchDB (COUCHDB_URL)', urls, error);
  }
  return { databases, embeddedStoreUrl: store?.url ?? null, nodes: () => client.nodes(), close };
}
