import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FeedStatus } from './couch/change-feed.js';

/**
 * The gateway's own Prometheus metrics, next to yoga's (requests, phases,
 * durations) in one registry per gateway, served at `/metrics`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  /** Errors sent to clients, by contract code. */
  readonly graphqlErrors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors sent to clients, by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  /** Every request to a CouchDB node: its count is the histogram's `_count`. */
  readonly couchRequests = new Histogram({
    name: 'gateway_couchdb_request_duration_seconds',
    help: 'Requests to CouchDB and their duration, by node (URL without credentials), method and status (0: no answer)',
    labelNames: ['node', 'method', 'status'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Authentication lockouts as they begin, by what is locked: a (identifier, address) pair, an address, an identifier. */
  readonly authLockouts = new Counter({
    name: 'gateway_auth_lockouts_total',
    help: 'Authentication lockouts begun, by scope (pair: identifier and client address; address; identifier)',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  /** How many keys each DataLoader batch carried: one CouchDB request each. */
  readonly loaderBatchSize = new Histogram({
    name: 'gateway_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    registers: [this.registry],
  });

  /** Password-reset mails that could not be sent (SMTP) or written (outbox); the caller was told `true` all the same. */
  readonly mailFailures = new Counter({
    name: 'gateway_mail_failures_total',
    help: 'Mails that could not be sent or written, by transport (smtp, outbox)',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Subscriptions open now, read at each scrape. */
  observeSubscriptions(open: () => number): void {
    new Gauge({
      name: 'gateway_subscriptions_open',
      help: 'GraphQL subscriptions (SSE streams) open on this instance',
      registers: [this.registry],
      collect() {
        this.set(open());
      },
    });
  }

  /** The change feeds' state and lag, and the user cache's size, read at each scrape. */
  observeFeeds(statuses: () => FeedStatus[], cachedUsers: () => number): void {
    const registers = [this.registry];
    new Gauge({
      name: 'gateway_change_feed_live',
      help: 'Whether the change feed of a database is live (1): reads of it are served from the cache',
      labelNames: ['database'] as const,
      registers,
      collect() {
        this.reset();
        for (const status of statuses()) this.set({ database: status.db }, status.live ? 1 : 0);
      },
    });
    new Gauge({
      name: 'gateway_change_feed_lag_seconds',
      help: 'Time since the change feed of a database last heard from CouchDB (a change or a heartbeat)',
      labelNames: ['database'] as const,
      registers,
      collect() {
        this.reset();
        for (const status of statuses()) if (status.lagMs >= 0) this.set({ database: status.db }, status.lagMs / 1000);
      },
    });
    new Gauge({
      name: 'gateway_change_feed_reconnects',
      help: 'How often the change feed of a database was cut and reconnected',
      labelNames: ['database'] as const,
      registers,
      collect() {
        this.reset();
        for (const status of statuses()) this.set({ database: status.db }, status.reconnects);
      },
    });
    new Gauge({
      name: 'gateway_user_cache_entries',
      help: 'Documents held by the feed-coherent user cache (bounded by USER_CACHE_MAX)',
      registers,
      collect() {
        this.set(cachedUsers());
      },
    });
  }
}
