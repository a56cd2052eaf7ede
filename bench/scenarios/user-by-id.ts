import { graphql } from '../support/graphql-client.js';
import { drive, graphqlRequest } from '../support/load.js';
import { costPerOperation, couchRequestsDuring } from '../support/metrics.js';
import { throughputCheck } from '../support/report.js';
import type { Scenario } from './scenario.js';

/** Operations counted to tell how many CouchDB requests one costs. */
const COUNTED_OPERATIONS = 500;

/**
 * `user(id)` for one user, as the admin, against the cheapest way to get that user
 * from CouchDB: `GET /<db>/<id>`. Hot, the user and the caller come from the
 * feed-coherent cache (no CouchDB request): the gateway should serve at least twice
 * what CouchDB serves directly (3× is the moonshot).
 */
export const userById: Scenario = {
  name: 'user-by-id',
  needsSeededUsers: true,
  async run(context) {
    const id = context.userIds[0];
    if (!id) throw new Error('no seeded user to read');
    const query = `{ user(id: ${JSON.stringify(id)}) { id login } }`;
    const answer = await graphql<{ user: { id: string } | null }>(context.gateway.url, query, context.admin);
    if (answer.user?.id !== id) throw new Error(`user(id: "${id}") did not return the user`);

    const directLoad = { label: 'CouchDB GET /<db>/<id>', origin: context.couch.origin, requests: [context.couch.documentRequest(context.database, id)] };
    const gatewayLoad = { label: 'gateway user(id)', origin: context.gateway.url, requests: [graphqlRequest(query, context.admin)] };
    const [direct, viaGateway] = await context.measureTogether(directLoad, gatewayLoad);
    // For the explanation rather than the target: what one operation costs in CouchDB requests.
    const counted = await couchRequestsDuring(context.gateway.url, () =>
      drive(
        { ...gatewayLoad, label: `gateway user(id) ×${COUNTED_OPERATIONS} (CouchDB requests counted)` },
        { connections: context.settings.connections, amount: COUNTED_OPERATIONS },
      ),
    );

    return {
      measurements: [direct, viaGateway, counted.result],
      checks: [throughputCheck('user(id), authenticated, hot', ['gateway', viaGateway], ['direct GET', direct], 2, 'baseline')],
      details: { couchRequestsPerOperation: counted.couchRequests / counted.result.responses, ...costPerOperation(counted.increase, counted.result.responses) },
    };
  },
};
