import { graphqlRequest } from '../support/load.js';
import { throughputCheck } from '../support/report.js';
import type { Scenario } from './scenario.js';

/** `__typename` needs no authentication and no CouchDB: what is left is the gateway's own HTTP and GraphQL pipeline. */
const TRIVIAL_QUERY = '{ __typename }';

/** The gateway's overhead on a trivial query, against a bare graphql-yoga hello-world server. */
export const overhead: Scenario = {
  name: 'overhead',
  needsSeededUsers: false,
  async run(context) {
    const bare = await context.startBareYoga();
    try {
      const [baseline, viaGateway] = await context.measureTogether(
        { label: 'bare graphql-yoga { __typename }', origin: bare.url, requests: [graphqlRequest(TRIVIAL_QUERY)] },
        { label: 'gateway { __typename }, anonymous', origin: context.gateway.url, requests: [graphqlRequest(TRIVIAL_QUERY)] },
      );
      return {
        measurements: [baseline, viaGateway],
        checks: [throughputCheck('gateway overhead, { __typename }', ['gateway', viaGateway], ['bare yoga', baseline], 0.8, 'baseline')],
      };
    } finally {
      await bare.stop();
    }
  },
};
