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
beforeEach(() => t.proxy.reset());

const aliases = (field: (index: number) => string) => users.map((_, index) => `u${index}: ${field(index)}`).join('\n');

describe('one CouchDB request per batch', () => {
  it('100 users by id through aliases: one _all_docs request', async () => {
    const { data, errors } = await t.graphql(`{ ${aliases((i) => `user(id: "${users[i]!._id}") { id login }`)} }`);
    expect(errors).toBeUndefined();
    expect(Object.values(data)).toHaveLength(100);
    expect(data.u42).toEqual({ id: 'user-042', login: 'login-42' });
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_all_docs`]);
  });

  it('100 users through nodes(ids): one _all_docs request', async () => {
    const { data } = await t.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: users.map((user) => user._id) });
    expect(data.nodes.map((node: { id: string }) => node.id)).toEqual(users.map((user) => user._id));
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_all_docs`]);
  });

  it('100 users by email: one view request', async () => {
    const { data } = await t.graphql(`{ ${aliases((i) => `userByEmail(email: "user${i}@example.org") { id }`)} }`);
    expect(data.u7).toEqual({ id: 'user-007' });
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
  });

  it('100 users by login: one view request', async () => {
    const { data } = await t.graphql(`{ ${aliases((i) => `userByLogin(login: "login-${i}") { id }`)} }`);
    expect(data.u99).toEqual({ id: 'user-099' });
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
  });

  it('10 healthcare parties: one view request', async () => {
    const { data } = await t.graphql(`{ ${Array.from({ length: 10 }, (_, i) => `h${i}: usersByHealthcareParty(healthcarePartyId: "hcp-${i}") { id }`).join('\n')} }`);
    expect(data.h3).toHaveLength(10);
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_healthcare_party_id`]);
  });

  it('the same id asked twice in one request is read once', async () => {
    await t.graphql(`{ a: user(id: "user-001") { id } b: user(id: "user-001") { login } c: node(id: "user-001") { id } }`);
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_all_docs`]);
  });

  it('a page of 100 users is one view request', async () => {
    const { data } = await t.graphql('{ users(first: 100, skipPatients: false) { edges { node { id login } } } }');
    expect(data.users.edges).toHaveLength(100);
    expect(t.couchRequests()).toEqual([`GET /${t.db}/_design/icure-user-gateway/_view/all_by_login_and_id`]);
  });
});
