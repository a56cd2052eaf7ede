import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
