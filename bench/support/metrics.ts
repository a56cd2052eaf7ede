import { setTimeout as sleep } from 'node:timers/promises';

/** Samples of one scrape of a Prometheus text endpoint: `name{labels} value` lines. */
export class PrometheusScrape {
  private constructor(private readonly samples: { name: string; labels: Record<string, string>; value: number }[]) {}

  /** Scrapes `GET <origin>/metrics`. */
  static async of(origin: string): Promise<PrometheusScrape> {
    const response = await fetch(`${origin}/metrics`);
    if (!response.ok) throw new Error(`GET ${origin}/metrics answered ${response.status}`);
    const samples = [];
    for (const line of (await response.text()).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!match) continue;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]));
      samples.push({ name: match[1]!, labels, value: Number(match[3]) });
    }
    return new PrometheusScrape(samples);
  }

  /** The sum of a metric over its label sets, or those matching `labels` (0 when absent). */
  sum(name: string, labels: Record<string, string> = {}): number {
    const wanted = Object.entries(labels);
    return this.samples.reduce(
      (total, sample) => (sample.name === name && wanted.every(([key, value]) => sample.labels[key] === value) ? total + sample.value : total),
      0,
    );
  }
}

/** Every request the gateway made to CouchDB (the request histogram's count, over methods and statuses). */
export const COUCHDB_REQUESTS = 'gateway_couchdb_request_duration_seconds_count';
/** Node's resident set size of the scraped process. */
export const RESIDENT_MEMORY = 'process_resident_memory_bytes';
export const HEAP_USED = 'nodejs_heap_size_used_bytes';
/** DataLoader batches (one CouchDB request each) and the keys they carried, by `loader`. */
export const LOADER_BATCHES = 'gateway_dataloader_batch_size_count';
export const LOADER_KEYS = 'gateway_dataloader_batch_size_sum';

/**
 * CouchDB requests the gateway made while `action` ran, from its `/metrics` before
 * and after: nothing else may talk to that gateway meanwhile.
 */
export async function couchRequestsDuring<T>(gatewayOrigin: string, action: () => Promise<T>) {
  // A timed autocannon run just before leaves requests in flight (it stops waiting for
  // them, the gateway does not): they must not count here.
  const before = await scrapeWhenQuiet(gatewayOrigin);
  const result = await action();
  const after = await PrometheusScrape.of(gatewayOrigin);
  const increase = (name: string, labels?: Record<string, string>) => after.sum(name, labels) - before.sum(name, labels);
  return { result, couchRequests: increase(COUCHDB_REQUESTS), increase };
}

/** A scrape once the gateway has made no CouchDB request for `quietMs`. */
async function scrapeWhenQuiet(origin: string, quietMs = 1000): Promise<PrometheusScrape> {
  let previous = await PrometheusScrape.of(origin);
  for (;;) {
    await sleep(quietMs);
    const current = await PrometheusScrape.of(origin);
    if (current.sum(COUCHDB_REQUESTS) === previous.sum(COUCHDB_REQUESTS)) return current;
    previous = current;
  }
}

/**
 * What one operation cost, for explaining a count: CouchDB requests by method and
 * DataLoader batches by loader (with their keys per batch).
 */
export function costPerOperation(increase: (name: string, labels?: Record<string, string>) => number, operations: number): Record<string, number> {
  const cost: Record<string, number> = {};
  for (const method of ['GET', 'POST', 'PUT']) {
    const requests = increase(COUCHDB_REQUESTS, { method });
    if (requests) cost[`couch${method}PerOperation`] = requests / operations;
  }
  for (const loader of ['byId', 'byIdentifier', 'byHealthcarePartyId']) {
    const batches = increase(LOADER_BATCHES, { loader });
    if (!batches) continue;
    cost[`${loader}BatchesPerOperation`] = batches / operations;
    cost[`${loader}KeysPerBatch`] = increase(LOADER_KEYS, { loader }) / batches;
  }
  return cost;
}
