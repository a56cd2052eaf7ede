import { drive, graphqlRequest } from '../support/load.js';
import { HEAP_USED, PrometheusScrape, RESIDENT_MEMORY } from '../support/metrics.js';
import { check, formatNumber } from '../support/report.js';
import type { Scenario } from './scenario.js';

const EARLY_REQUESTS = 1000;
const MiB = 2 ** 20;

/**
 * Memory growth of a fresh gateway: RSS after 1 000 authenticated `user(id)`
 * requests (over up to 1 000 different users) against RSS after BENCH_MEMORY_REQUESTS.
 * Caches must be bounded: growth ≤ 20 %.
 */
export const memory: Scenario = {
  name: 'memory',
  needsSeededUsers: true,
  async run(context) {
    const total = Math.max(context.settings.memoryRequests, EARLY_REQUESTS + 1);
    if (context.userIds.length === 0) throw new Error('no seeded user to read');
    const gateway = await context.startFreshGateway('gateway-memory');
    try {
      const load = {
        label: 'gateway user(id) over many users',
        origin: gateway.url,
        requests: context.userIds.map((id) => graphqlRequest(`{ user(id: ${JSON.stringify(id)}) { id login } }`, context.admin)),
      };
      const { connections } = context.settings;
      const early = await drive({ ...load, label: `${load.label}, requests 1–${EARLY_REQUESTS}` }, { connections, amount: EARLY_REQUESTS });
      const afterEarly = await PrometheusScrape.of(gateway.url);
      const late = await drive({ ...load, label: `${load.label}, requests ${EARLY_REQUESTS + 1}–${total}` }, { connections, amount: total - EARLY_REQUESTS });
      const afterAll = await PrometheusScrape.of(gateway.url);

      const rssEarly = afterEarly.sum(RESIDENT_MEMORY);
      const rssLate = afterAll.sum(RESIDENT_MEMORY);
      return {
        measurements: [early, late],
        checks: [
          check({
            scenario: 'memory (RSS)',
            figure: `RSS after ${total} requests: ${formatNumber(rssLate / MiB)} MiB`,
            baseline: `RSS after ${EARLY_REQUESTS} requests: ${formatNumber(rssEarly / MiB)} MiB`,
            value: (rssLate / rssEarly - 1) * 100,
            target: { comparison: '≤', bound: 20, unit: ' % growth' },
          }),
        ],
        details: {
          rssEarlyMiB: rssEarly / MiB,
          rssLateMiB: rssLate / MiB,
          heapUsedEarlyMiB: afterEarly.sum(HEAP_USED) / MiB,
          heapUsedLateMiB: afterAll.sum(HEAP_USED) / MiB,
        },
      };
    } finally {
      await gateway.stop();
    }
  },
};
