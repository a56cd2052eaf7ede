import { graphql } from '../support/graphql-client.js';
import { graphqlRequest, type LoadMeasurement } from '../support/load.js';
import { check, describeLoad, formatNumber } from '../support/report.js';
import type { Scenario } from './scenario.js';

const PAGE_SIZE = 100;
/** The same selection for every page, so that only the page's position differs. */
const SELECTION = 'edges { cursor node { id login } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

interface Page {
  users: { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
}

/**
 * Keyset pages in login order should cost the same anywhere in the list: page 1
 * against the last page, reached backwards (`last`) and forwards (`after` a cursor).
 * And a page should serve users far faster than CouchDB serves them one by one: the
 * view gives keys and ids, the feed-coherent cache the users (target 40× the users/s
 * of direct GETs).
 */
export const pagination: Scenario = {
  name: 'pagination',
  needsSeededUsers: true,
  async run(context) {
    const { gateway, admin } = context;
    const firstPage = `{ users(first: ${PAGE_SIZE}) { ${SELECTION} } }`;
    const lastPage = `{ users(last: ${PAGE_SIZE}) { ${SELECTION} } }`;
    // The cursor of the user just before the last page: `after` it, `first: 100` is the last page again, read forwards.
    const before = await graphql<Page>(gateway.url, `{ users(last: ${PAGE_SIZE + 1}) { edges { cursor } } }`, admin);
    const cursor = before.users.edges[0]?.cursor;
    if (!cursor || before.users.edges.length !== PAGE_SIZE + 1) throw new Error(`fewer than ${PAGE_SIZE + 1} users to page through`);
    const deepForwardPage = `{ users(first: ${PAGE_SIZE}, after: ${JSON.stringify(cursor)}) { ${SELECTION} } }`;
    const deep = await graphql<Page>(gateway.url, deepForwardPage, admin);
    if (deep.users.edges.length !== PAGE_SIZE || deep.users.pageInfo.hasNextPage) throw new Error('the page after the cursor is not the last page');

    const load = (label: string, query: string) => ({ label, origin: gateway.url, requests: [graphqlRequest(query, admin)] });
    const ids = context.userIds.slice(0, PAGE_SIZE);
    const [first, last, forward, direct] = await context.measureTogether(
      load(`gateway users(first: ${PAGE_SIZE}) page 1`, firstPage),
      load(`gateway users(last: ${PAGE_SIZE})`, lastPage),
      load(`gateway users(first: ${PAGE_SIZE}, after: <cursor of the last page>)`, deepForwardPage),
      {
        label: `CouchDB GET /<db>/<id> over ${ids.length} ids`,
        origin: context.couch.origin,
        requests: ids.map((id) => context.couch.documentRequest(context.database, id)),
      },
    );
    const usersPerSecond = first.requestsPerSecond * PAGE_SIZE;

    const ratioCheck = (label: string, deepPage: LoadMeasurement) =>
      check({
        scenario: `users page 1 vs ${label}`,
        figure: `${label}: ${describeLoad(deepPage)}`,
        baseline: `page 1: ${describeLoad(first)}`,
        value: deepPage.p50Ms / first.p50Ms,
        target: { comparison: '≤', bound: 1.5, unit: ' × page 1 p50' },
      });
    return {
      measurements: [first, last, forward, direct],
      checks: [
        ratioCheck(`last page (last: ${PAGE_SIZE})`, last),
        ratioCheck(`last page forwards (after: cursor)`, forward),
        check({
          scenario: `users(first: ${PAGE_SIZE}) users/s`,
          figure: `gateway: ${formatNumber(usersPerSecond)} users/s (${formatNumber(first.requestsPerSecond)} pages/s, p50 ${formatNumber(first.p50Ms)} ms)`,
          baseline: `direct GETs: ${formatNumber(direct.requestsPerSecond)} users/s`,
          value: usersPerSecond / direct.requestsPerSecond,
          target: { comparison: '≥', bound: 40, unit: ' × baseline users/s' },
        }),
      ],
      details: { usersPerSecond, baselineUsersPerSecond: direct.requestsPerSecond },
    };
  },
};
