import { graphql } from '../support/graphql-client.js';
import { drive, graphqlRequest } from '../support/load.js';
import { costPerOperation, couchRequestsDuring, LOADER_BATCHES } from '../support/metrics.js';
import { check, formatNumber } from '../support/report.js';
import type { Scenario } from './scenario.js';

const USERS_PER_OPERATION = 100;
/** Operations counted to tell how many CouchDB requests one costs. */
const COUNTED_OPERATIONS = 200;
/** A full verification of the caller (credential cache expired): a lookup by id and one by login. */
const REAUTHENTICATION_REQUESTS = 2;

/**
 * 100 users by id in one document (100 aliases): hot, they and the caller come from
 * the feed-coherent cache; cold, DataLoader batches them and the caller's own read
 * into one `_all_docs` request. Either way far beyond 100 single-document GETs: the
 * target is 40× their users/s.
 */
export const usersByIds: Scenario = {
  name: 'users-by-ids',
  needsSeededUsers: true,
  async run(context) {
    const ids = context.userIds.slice(0, USERS_PER_OPERATION);
    if (ids.length < USERS_PER_OPERATION) throw new Error(`${USERS_PER_OPERATION} live users are needed, the database has ${ids.length}`);
    const query = `{ ${ids.map((id, index) => `u${index}: user(id: ${JSON.stringify(id)}) { id login }`).join(' ')} }`;
    const answer = await graphql<Record<string, { id: string } | null>>(context.gateway.url, query, context.admin);
    if (Object.values(answer).filter((user) => user !== null).length !== USERS_PER_OPERATION) throw new Error('the 100-alias query did not return 100 users');

    const directLoad = {
      label: `CouchDB GET /<db>/<id> over ${USERS_PER_OPERATION} ids`,
      origin: context.couch.origin,
      requests: ids.map((id) => context.couch.documentRequest(context.database, id)),
    };
    const gatewayLoad = { label: `gateway ${USERS_PER_OPERATION} × user(id) aliases`, origin: context.gateway.url, requests: [graphqlRequest(query, context.admin)] };
    const [direct, viaGateway] = await context.measureTogether(directLoad, gatewayLoad);
    const counted = await couchRequestsDuring(context.gateway.url, () =>
      drive(
        { ...gatewayLoad, label: `${gatewayLoad.label} ×${COUNTED_OPERATIONS} (CouchDB requests counted)` },
        { connections: context.settings.connections, amount: COUNTED_OPERATIONS },
      ),
    );
    const couchRequestsPerOperation = counted.couchRequests / counted.result.responses;
    // When the credential cache entry expires (AUTH_CACHE_TTL_MS), the next request verifies the
    // credential again (requests in flight with it share that verification): two lookups and bcrypt,
    // before the operation's own batch. Shown apart: the target is about the operation.
    const reauthentications = counted.increase(LOADER_BATCHES, { loader: 'byIdentifier' });
    const withoutReauthentications = (counted.couchRequests - REAUTHENTICATION_REQUESTS * reauthentications) / counted.result.responses;
    const usersPerSecond = viaGateway.requestsPerSecond * USERS_PER_OPERATION;

    return {
      measurements: [direct, viaGateway, counted.result],
      checks: [
        check({
          scenario: '100 users by id in one query',
          figure:
            `CouchDB requests per operation, authentication included (${counted.couchRequests} over ${counted.result.responses} operations` +
            (reauthentications
              ? `; ${REAUTHENTICATION_REQUESTS * reauthentications} of them for ${reauthentications} re-authentications after the credential cache expired, ${formatNumber(couchRequestsPerOperation)} per operation with them)`
              : ')'),
          baseline: '—',
          value: withoutReauthentications,
          target: { comparison: '≤', bound: 1, unit: ' requests' },
        }),
        check({
          scenario: '100 users by id in one query',
          figure: `gateway: ${formatNumber(usersPerSecond)} users/s (${formatNumber(viaGateway.requestsPerSecond)} operations/s, p50 ${formatNumber(viaGateway.p50Ms)} ms)`,
          baseline: `100 direct GETs: ${formatNumber(direct.requestsPerSecond)} users/s`,
          value: usersPerSecond / direct.requestsPerSecond,
          target: { comparison: '≥', bound: 40, unit: ' × baseline users/s' },
        }),
      ],
      details: {
        usersPerSecond,
        baselineUsersPerSecond: direct.requestsPerSecond,
        couchRequestsPerOperation,
        reauthentications,
        ...costPerOperation(counted.increase, counted.result.responses),
      },
    };
  },
};
