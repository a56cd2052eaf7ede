import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WITHOUT_FEEDS } from './support/test-config.js';
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
  // The feed-coherent cache off: these are the reads that go to CouchDB (as whenever
  // a database's feed is not live), batched. test/user-cache.test.ts covers the cache.
  t = await startTestGateway({ ...WITHOUT_FEEDS });
  await t.admin.insert(t.db, users);
  // Build the views once, so that the counts below are about the queries alone.
  await t.graphql('{ userByEmail(email: "warm@up") { id } userByLogin(login: "warm") { id } usersByHealthcareParty(healthcarePartyId: "x") { id } }');
});
afterAll(() => t?.close());

/** The CouchDB requests of one operation, authentication included (the credential cache is warm). */
async function requestsOf(query: string, variables?: Record<string, unknown>) {
  t.proxy.reset();
  const response = await t.graphql(query, variables);
  return { ...response, requests: t.couchRequests().sort() };
}

/** The ids an `_all_docs` request of the last operation asked for. */
function allDocsKeys(): string[] {
  const request = t.proxy.requests.find((one) => one.url.startsWith(`/${t.db}/_all_docs`));
  return (JSON.parse(request?.body ?? '{}') as { keys?: string[] }).keys ?? [];
}

let adminId: string;
beforeEach(async () => {
  adminId = (await t.graphql('{ currentUser { id } }')).data.currentUser.id;
});

const aliases = (field: (index: number) => string) => users.map((_, index) => `u${index}: ${field(index)}`).join('\n');

describe('one CouchDB request per batch', () => {
  it('100 users by id through aliases: one _all_docs request', async () => {
    const { data, errors, requests } = await requestsOf(`{ ${aliases((i) => `user(id: "${users[i]!._id}") { id login }`)} }`);
    expect(errors).toBeUndefined();
    expect(Object.values(data)).toHaveLength(100);
    expect(data.u42).toEqual({ id: 'user-042', login: 'login-42' });
    // The caller's own read (authentication) joins the batch.
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
    expect(allDocsKeys().sort()).toEqual([adminId, ...users.map((user) => user._id)].sort());
  });

  it('100 users through nodes(ids): one _all_docs request', async () => {
    const { data, requests } = await requestsOf('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: users.map((user) => user._id) });
    expect(data.nodes.map((node: { id: string }) => node.id)).toEqual(users.map((user) => user._id));
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
    expect(allDocsKeys()).toHaveLength(101);
  });

  it('100 users by email: one view request', async () => {
    const { data, requests } = await requestsOf(`{ ${aliases((i) => `userByEmail(email: "user${i}@example.org") { id }`)} }`);
    expect(data.u7).toEqual({ id: 'user-007' });
    expect(requests).toEqual([`POST /${t.db}/_all_docs`, `POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
  });

  it('100 users by login: one view request', async () => {
    const { data, requests } = await requestsOf(`{ ${aliases((i) => `userByLogin(login: "login-${i}") { id }`)} }`);
    expect(data.u99).toEqual({ id: 'user-099' });
    expect(requests).toEqual([`POST /${t.db}/_all_docs`, `POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
  });

  it('10 healthcare parties: one view request', async () => {
    const { data, requests } = await requestsOf(
      `{ ${Array.from({ length: 10 }, (_, i) => `h${i}: usersByHealthcareParty(healthcarePartyId: "hcp-${i}") { id }`).join('\n')} }`,
    );
    expect(data.h3).toHaveLength(10);
    expect(requests).toEqual([`POST /${t.db}/_all_docs`, `POST /${t.db}/_design/icure-user-gateway/_view/by_healthcare_party_id`]);
  });

  it('authentication itself: one read of the caller by id once the credential is verified', async () => {
    const { data, requests } = await requestsOf('{ currentUser { id login } }');
    expect(data.currentUser.login).toBe('admin');
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
    expect(allDocsKeys()).toEqual([adminId]);
  });

  it("a view read runs alongside the caller's read, not after it", async () => {
    t.proxy.delay(200);
    try {
      const { requests } = await requestsOf('{ userByLogin(login: "login-1") { id } }');
      expect(requests).toHaveLength(2);
      expect(t.proxy.maxInFlight()).toBe(2);
    } finally {
      t.proxy.delay(0);
    }
  });

  it('the same id asked twice in one request is read once', async () => {
    const { requests } = await requestsOf(`{ a: user(id: "user-001") { id } b: user(id: "user-001") { login } c: node(id: "user-001") { id } }`);
    expect(requests).toEqual([`POST /${t.db}/_all_docs`]);
    expect(allDocsKeys().sort()).toEqual([adminId, 'user-001'].sort());
  });

  it('a page of 100 users is one view request', async () => {
    const { data, requests } = await requestsOf('{ users(first: 100, skipPatients: false) { edges { node { id login } } } }');
    expect(data.users.edges).toHaveLength(100);
    expect(requests).toEqual([`GET /${t.db}/_design/icure-user-gateway/_view/all_by_login_and_id`, `POST /${t.db}/_all_docs`]);
  });
});
