import { basicAuthorization, graphql } from '../support/graphql-client.js';
import { graphqlRequest } from '../support/load.js';
import { throughputCheck } from '../support/report.js';
import type { Scenario } from './scenario.js';

const USER = { login: 'bench-auth-user', password: 'bench auth user password' };

/**
 * `currentUser` with a password against the same with a token: the credential
 * cache must keep bcrypt off the hot path, so a password costs about what a token
 * (a fast hash) costs. And an authenticated `currentUser` against an anonymous
 * `{ __typename }` on the same gateway: with the caller confirmed from the
 * feed-coherent cache, authentication should cost at most a fifth of a request.
 */
export const auth: Scenario = {
  name: 'auth',
  needsSeededUsers: false,
  async run(context) {
    const { gateway } = context;
    await graphql(gateway.url, `mutation { createUser(input: { login: "${USER.login}", password: "${USER.password}" }) { id } }`, context.admin);
    const password = basicAuthorization(USER.login, USER.password);
    const created = await graphql<{ createAuthenticationToken: { token: string } }>(
      gateway.url,
      `mutation { createAuthenticationToken(userId: "${USER.login}", key: "bench") { token } }`,
      password,
    );
    const token = basicAuthorization(USER.login, created.createAuthenticationToken.token);

    const load = (label: string, authorization: string) => ({ label, origin: gateway.url, requests: [graphqlRequest('{ currentUser { id login } }', authorization)] });
    const [withToken, withPassword, anonymous] = await context.measureTogether(
      load('gateway currentUser with a token', token),
      load('gateway currentUser with a password', password),
      { label: 'gateway { __typename }, anonymous', origin: gateway.url, requests: [graphqlRequest('{ __typename }')] },
    );
    return {
      measurements: [withToken, withPassword, anonymous],
      checks: [
        throughputCheck('currentUser: password vs token', ['password', withPassword], ['token', withToken], 0.8, 'token'),
        throughputCheck('authenticated currentUser vs anonymous { __typename }', ['currentUser', withPassword], ['{ __typename }', anonymous], 0.8, 'anonymous'),
      ],
    };
  },
};
