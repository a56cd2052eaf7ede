import { graphql } from '../support/graphql-client.js';
import { check, formatNumber } from '../support/report.js';
import type { Scenario } from './scenario.js';

/** Outside writes timed, one after another. */
const WRITES = 200;
/** How often the gateway is asked whether it shows the write yet. */
const POLL_MS = 2;
const GIVE_UP_MS = 10_000;

/**
 * How stale a read can be: another writer (iCure itself) updates a user straight in
 * CouchDB, and the gateway is asked for that user until it shows the new revision.
 * The time from CouchDB's 201 to the first read that shows it is the staleness of
 * the feed-coherent cache; the contract's bound is 1 s (p99).
 */
export const staleness: Scenario = {
  name: 'staleness',
  needsSeededUsers: true,
  async run(context) {
    const { couch, database, gateway, admin } = context;
    const id = context.userIds[1] ?? context.userIds[0];
    if (!id) throw new Error('no seeded user to write');
    const query = `{ user(id: ${JSON.stringify(id)}) { rev } }`;
    const delays: number[] = [];
    for (let write = 0; write < WRITES; write++) {
      const doc = await couch.document(database, id);
      const rev = await couch.putDocument(database, { ...doc, _id: id, name: `staleness probe ${write}` });
      const written = performance.now();
      for (;;) {
        const answer = await graphql<{ user: { rev: string } | null }>(gateway.url, query, admin);
        if (answer.user?.rev === rev) break;
        if (performance.now() - written > GIVE_UP_MS) throw new Error(`write ${write} not visible after ${GIVE_UP_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      delays.push(performance.now() - written);
    }
    delays.sort((a, b) => a - b);
    const percentile = (p: number) => delays[Math.min(delays.length - 1, Math.ceil((p / 100) * delays.length) - 1)]!;
    return {
      measurements: [],
      checks: [
        check({
          scenario: 'staleness: outside write → visible, p99',
          figure: `${WRITES} writes straight into CouchDB: p50 ${formatNumber(percentile(50))} ms, p99 ${formatNumber(percentile(99))} ms, max ${formatNumber(delays.at(-1)!)} ms`,
          baseline: '—',
          value: percentile(99),
          target: { comparison: '≤', bound: 1000, unit: ' ms' },
        }),
      ],
      details: { stalenessP50Ms: percentile(50), stalenessP99Ms: percentile(99), stalenessMaxMs: delays.at(-1)! },
    };
  },
};
