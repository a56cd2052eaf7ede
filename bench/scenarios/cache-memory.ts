import { graphql } from '../support/graphql-client.js';
import { PrometheusScrape, RESIDENT_MEMORY, HEAP_USED } from '../support/metrics.js';
import { check, formatNumber } from '../support/report.js';
import type { Scenario } from './scenario.js';

const MiB = 2 ** 20;
const PAGE = 1000;
const CACHE_ENTRIES = 'gateway_user_cache_entries';

interface Page {
  users: { edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/**
 * What the feed-coherent cache costs in memory: a fresh gateway reads every seeded
 * user once (pages of 1 000, with `skipPatients: false`), which puts each in its
 * cache; its RSS then, against its RSS at start. The cache is bounded by
 * USER_CACHE_MAX; the figure per 100 000 users is what the README documents.
 */
export const cacheMemory: Scenario = {
  name: 'cache-memory',
  needsSeededUsers: true,
  async run(context) {
    const gateway = await context.startFreshGateway('gateway-cache-memory');
    try {
      const atStart = await PrometheusScrape.of(gateway.url);
      let after: string | null = null;
      let read = 0;
      for (;;) {
        const page: Page = await graphql<Page>(
          gateway.url,
          `{ users(first: ${PAGE}, skipPatients: false${after ? `, after: ${JSON.stringify(after)}` : ''}) { edges { cursor node { id login } } pageInfo { hasNextPage endCursor } } }`,
          context.admin,
        );
        read += page.users.edges.length;
        if (!page.users.pageInfo.hasNextPage) break;
        after = page.users.pageInfo.endCursor;
      }
      const filled = await PrometheusScrape.of(gateway.url);
      const cached = filled.sum(CACHE_ENTRIES);
      const rssGrowth = filled.sum(RESIDENT_MEMORY) - atStart.sum(RESIDENT_MEMORY);
      const perHundredThousand = cached > 0 ? (rssGrowth / cached) * 100_000 : 0;
      return {
        measurements: [],
        checks: [
          check({
            scenario: 'cache memory: RSS growth per 100 000 cached users (figure; bounded by USER_CACHE_MAX)',
            figure: `${read} users read, ${cached} cached: RSS ${formatNumber(filled.sum(RESIDENT_MEMORY) / MiB)} MiB`,
            baseline: `RSS at start: ${formatNumber(atStart.sum(RESIDENT_MEMORY) / MiB)} MiB`,
            value: perHundredThousand / MiB,
            // A figure to report rather than a target: generous, it catches a cache that keeps far more than documents.
            target: { comparison: '≤', bound: 1024, unit: ' MiB per 100 000 users' },
          }),
        ],
        details: {
          usersRead: read,
          usersCached: cached,
          rssStartMiB: atStart.sum(RESIDENT_MEMORY) / MiB,
          rssFilledMiB: filled.sum(RESIDENT_MEMORY) / MiB,
          heapUsedStartMiB: atStart.sum(HEAP_USED) / MiB,
          heapUsedFilledMiB: filled.sum(HEAP_USED) / MiB,
        },
      };
    } finally {
      await gateway.stop();
    }
  },
};
