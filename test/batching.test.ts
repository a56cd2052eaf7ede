import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

let t: TestGateway;
const users = Array.from({ length: 100 }, (_, index) =>
  icureUser({
    _id: `user-${String(index).padStart(3, '0')}`,
    login: `login-${index}`,
    email: `user${index}@example.org`,
    healthcarePartyId: `hcp-${index % 10}`,
  }),
);

beforeAll(async () => {
  t = await startTestGateway();
  await t.admin.insert(t.db, users);
  // Build the views once, so that the counts below are about the queries alone.
  await t.graphql('{ userByEmail(email: "warm@up") { id } userByLogin(login: "warm") { id } usersByHealthcareParty(healthcarePartyId: "x") { id } }');
});
afterAll(() => t?.close());

/** The CouchDB requests of one operation beyond its authentication, which is checked to cost exactly one. */
async function requestsOf(query: string, variables?: Record<string, unknown>) {
  t.proxy.reset();
  const response = await t.graphql(query, variables);
  const requests = t.couchRequests();
  // With the credential cache warm, authentication re-reads the caller by id: one request.
  expect(requests[0]).toBe(`POST /${t.db}/_all_docs`);
  return { ...response, requests: requests.slice(1) };
}
beforeEach(async () => {
  await t.graphql('{ __typename }');
});

const aliases = (field: (index: number) => string) => users.map((_, index) => `u${index}: ${field(index)}`).join('\n');

describe('one CouchDB request per batch', () => {
  it('100 users by id through aliases: one _all_docs request', async () => {
    const { data, errors, requests } = await requestsOf(`{ ${aliases((i) => `user(id: "${users[i]!._id}") { id login }`)} }`);
    expect(errors).toBeUndefined();
    expect(Object.values(data)).toHaveLength(100);
    expect(data.u42).toEqual({ id: 'user-042', login: 'login-42' });
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
  });

  it('100 users through nodes(ids): one _all_docs request', async () => {
    const { data, requests } = await requestsOf('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: users.map((user) => user._id) });
    expect(data.nodes.map((node: { id: string }) => node.id)).toEqual(users.map((user) => user._id));
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
  });

  it('100 users by email: one view request', async () => {
    const { data, requests } = await requestsOf(`{ ${aliases((i) => `userByEmail(email: "user${i}@example.org") { id }`)} }`);
    expect(data.u7).toEqual({ id: 'user-007' });
    expect(requests).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
  });

  it('100 users by login: one view request', async () => {
    const { data, requests } = await requestsOf(`{ ${aliases((i) => `userByLogin(login: "login-${i}") { id }`)} }`);
    expect(data.u99).toEqual({ id: 'user-099' });
    expect(requests).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
  });

  it('10 healthcare parties: one view request', async () => {
    const { data, requests } = await requestsOf(
      `{ ${Array.from({ length: 10 }, (_, i) => `h${i}: usersByHealthcareParty(healthcarePartyId: "hcp-${i}") { id }`).join('\n')} }`,
    );
    expect(data.h3).toHaveLength(10);
    expect(requests).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_healthcare_party_id`]);
  });

  it('authentication itself: one read by id once the credential is verified, and none of it for the caller', async () => {
    const { data, requests } = await requestsOf('{ currentUser { id login } }');
    expect(data.currentUser.login).toBe('admin');
    expect(requests).toEqual([]);
  });

  it('the same id asked twice in one request is read once', async () => {
    const { requests } = await requestsOf(`{ a: user(id: "user-001") { id } b: user(id: "user-001") { login } c: node(id: "user-001") { id } }`);
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
  });

  it('a page of 100 users is one view request', async () => {
    const { data, requests } = await requestsOf('{ users(first: 100, skipPatients: false) { edges { node { id login } } } }');
    expect(data.users.edges).toHaveLength(100);
    expect(requests).toEqual([`GET /${t.db}/_design/icure-user-gateway/_view/all_by_login_and_id`]);
  });
});
