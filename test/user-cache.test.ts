import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../src/server.js';
import { testConfig } from './support/test-config.js';
import { ADMIN_HEADERS, basic, postGraphQL, startTestGateway, waitUntilReady, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

/** How long a change made behind the gateway's back may take to count (the contract's bound is 1 s; this only guards against a hang). */
const GUARD_MS = 10_000;

/** Polls until `check` holds, and says how long it took. */
async function within(check: () => Promise<boolean>, what: string): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > GUARD_MS) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

const USER = 'query($id: ID!, $g: ID) { user(id: $id, groupId: $g) { id name status } }';
const ME = '{ currentUser { id login } }';

/**
 * The feed-coherent cache: two gateways over one CouchDB (through the counting
 * proxy), another writer (iCure itself) writing straight into CouchDB.
 */
describe('reads served from the feed-coherent cache', () => {
  let t: TestGateway;
  let second: Gateway;
  const on =
    (gateway: { url: string }) =>
    (query: string, variables?: Record<string, unknown>, headers = ADMIN_HEADERS) =>
      postGraphQL(gateway.url, query, variables, headers);

  beforeAll(async () => {
    t = await startTestGateway();
    second = await startGateway(testConfig(t.proxy.url, { dbPrefix: t.prefix }), pino({ level: 'silent' }));
    await waitUntilReady(second.url);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const gateways = () => [t.gateway, second];
  /**
   * Whether `read` asked CouchDB nothing. A view may show a write before the feed
   * delivers it; the delivery then drops what was kept, once: hence the polling.
   */
  const servedFromMemory = async (read: () => Promise<unknown>) => {
    t.proxy.reset();
    await read();
    return t.couchRequests().length === 0;
  };

  it('serves a hot user and an authenticated caller without asking CouchDB', async () => {
    const [written] = await t.admin.insert(t.db, [icureUser({ name: 'Hot' })]);
    await within(async () => (await t.graphql(USER, { id: written!.id })).data?.user?.name === 'Hot', 'delivered');
    t.proxy.reset();
    for (let i = 0; i < 5; i++) {
      const answer = await t.graphql(`${ME.slice(0, -1)} user(id: "${written!.id}") { name } }`);
      expect(answer.data).toMatchObject({ currentUser: { login: 'admin' }, user: { name: 'Hot' } });
    }
    expect(t.couchRequests()).toEqual([]);
  });

  it('reads a user the feed never delivered from CouchDB once, then from memory', async () => {
    // A group database iCure filled before this gateway first opened it: its feed starts after these writes.
    const groupDb = `${t.prefix}-coldgroup-base`;
    await t.admin.createDatabase(groupDb);
    const [cold] = await t.admin.insert(groupDb, [icureUser({ name: 'Cold' })]);
    await t.graphql(USER, { id: 'warm-up', g: 'coldgroup' });
    await waitUntilReady(t.gateway.url);
    // Reads only: the group's index build and feed make their own requests meanwhile.
    const reads = () => t.couchRequests().filter((request) => request.includes('_all_docs'));
    t.proxy.reset();
    expect((await t.graphql(USER, { id: cold!.id, g: 'coldgroup' })).data.user.name).toBe('Cold');
    expect(reads()).toEqual([`POST /${groupDb}/_all_docs`]);
    t.proxy.reset();
    expect((await t.graphql(USER, { id: cold!.id, g: 'coldgroup' })).data.user.name).toBe('Cold');
    expect(reads()).toEqual([]);
  });

  it("shows this instance's own writes to its next read at once", async () => {
    const created = await t.graphql('mutation { createUser(input: { login: "own-write", name: "Before" }) { id rev } }');
    const { id, rev } = created.data.createUser;
    const modified = await t.graphql('mutation($input: ModifyUserInput!) { modifyUser(input: $input) { rev } }', { input: { id, rev, name: 'After' } });
    expect(modified.errors).toBeUndefined();
    expect((await t.graphql(USER, { id })).data.user.name).toBe('After');
  });

  it('serves a hot page and its count from memory, and shows a write straight into CouchDB on the next page', async () => {
    const PAGE = '{ users(first: 1000) { totalCount edges { node { login name } } } }';
    const logins = async (gateway: { url: string }) => {
      const answer = await on(gateway)(PAGE);
      return { count: answer.data.users.totalCount as number, logins: answer.data.users.edges.map((edge: { node: { login: string } }) => edge.node.login) as string[] };
    };
    const before = await logins(t.gateway);
    await within(() => servedFromMemory(() => logins(t.gateway)), 'a page without CouchDB requests');
    expect(await logins(t.gateway)).toEqual(before);

    // iCure adds a user: the next pages on both instances show it, and count it.
    await t.admin.insert(t.db, [icureUser({ login: 'aaa-page-outside', name: 'Paged' })]);
    for (const gateway of gateways()) {
      await within(async () => (await logins(gateway)).logins.includes('aaa-page-outside'), 'new user on the page');
      expect((await logins(gateway)).count).toBe(before.count + 1);
    }
    // An own write drops the kept pages at once (read-your-writes), without waiting for the feed.
    await t.graphql('mutation { createUser(input: { login: "aaa-page-own", name: "Own" }) { id } }');
    expect((await logins(t.gateway)).logins).toContain('aaa-page-own');
  });

  it("serves a healthcare party's users from memory, and shows one linked straight in CouchDB", async () => {
    const BY_HCP = '{ usersByHealthcareParty(healthcarePartyId: "hcp-cached") { login } }';
    const linked = async (gateway: { url: string }) => ((await on(gateway)(BY_HCP)).data.usersByHealthcareParty as { login: string }[]).map((user) => user.login).sort();
    await t.admin.insert(t.db, [icureUser({ login: 'hcp-first', healthcarePartyId: 'hcp-cached' })]);
    await within(async () => (await linked(t.gateway)).includes('hcp-first'), 'first linked user');
    await within(() => servedFromMemory(() => linked(t.gateway)), 'linked users without CouchDB requests');
    expect(await linked(t.gateway)).toEqual(['hcp-first']);

    await t.admin.insert(t.db, [icureUser({ login: 'hcp-second', healthcarePartyId: 'hcp-cached' })]);
    for (const gateway of gateways()) await within(async () => (await linked(gateway)).length === 2, 'second linked user');
    expect(await linked(second)).toEqual(['hcp-first', 'hcp-second']);
  });

  it('serves a write made straight into CouchDB, on both instances', async () => {
    const [written] = await t.admin.insert(t.db, [icureUser({ name: 'First' })]);
    for (const gateway of gateways()) await within(async () => (await on(gateway)(USER, { id: written!.id })).data?.user?.name === 'First', 'created');
    const doc = (await t.admin.get(t.db, written!.id)).body;
    await t.admin.insert(t.db, [{ ...doc, name: 'Second' }]);
    const delays = await Promise.all(
      gateways().map((gateway) => within(async () => (await on(gateway)(USER, { id: written!.id })).data?.user?.name === 'Second', 'updated')),
    );
    console.info(`outside write visible after ${delays.map((ms) => `${Math.round(ms)} ms`).join(' and ')} on the two instances`);
    // Login and email lookups follow the document too.
    await t.admin.insert(t.db, [{ ...(await t.admin.get(t.db, written!.id)).body, login: 'renamed-outside' }]);
    for (const gateway of gateways()) {
      await within(async () => (await on(gateway)('{ userByLogin(login: "renamed-outside") { id } }')).data?.userByLogin?.id === written!.id, 'new login');
      expect((await on(gateway)(`{ userByLogin(login: "${doc.login}") { id } }`)).data.userByLogin).toBeNull();
    }
  });

  it('stops a changed password, a disabled user and a revoked ADMIN grant on both instances', async () => {
    const hash = (password: string) => `{bcrypt}${bcrypt.hashSync(password, 4)}`;
    const [user] = await t.admin.insert(t.db, [
      icureUser({ login: 'outside-admin', passwordHash: hash('first password'), permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [] }] }),
    ]);
    const asUser = (password: string) => (gateway: { url: string }) =>
      on(gateway)('{ currentUser { id } users(first: 1) { totalCount } }', undefined, basic('outside-admin', password));
    for (const gateway of gateways()) await within(async () => (await asUser('first password')(gateway)).data?.users?.totalCount > 0, 'admin in');

    const revoke = async (change: Record<string, unknown>) => {
      const doc = (await t.admin.get(t.db, user!.id)).body;
      await t.admin.insert(t.db, [{ ...doc, ...change }]);
    };
    // ADMIN revoked: still the caller, no longer allowed to list users.
    await revoke({ permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [{ type: 'ADMIN' }] }] });
    for (const gateway of gateways()) {
      await within(async () => (await asUser('first password')(gateway)).errors?.[0]?.extensions?.code === 'FORBIDDEN', 'admin revoked');
    }
    // The password changed: the old one stops working, the new one works.
    await revoke({ passwordHash: hash('second password') });
    for (const gateway of gateways()) {
      await within(async () => (await asUser('first password')(gateway)).status === 401, 'old password refused');
      expect((await on(gateway)(ME, undefined, basic('outside-admin', 'second password'))).data?.currentUser?.id).toBe(user!.id);
    }
    // Disabled: nobody gets in.
    await revoke({ status: 'DISABLED' });
    for (const gateway of gateways()) await within(async () => (await on(gateway)(ME, undefined, basic('outside-admin', 'second password'))).status === 401, 'disabled');
  });

  it('falls back to CouchDB while the feed is cut, never serving the old document, and resumes without a gap', async () => {
    const [user] = await t.admin.insert(t.db, [icureUser({ name: 'Before cut' })]);
    await within(async () => (await t.graphql(USER, { id: user!.id })).data?.user?.name === 'Before cut', 'cached');
    // The feed's connection is cut and cannot come back; every other request goes through.
    t.proxy.failWhen((request) => request.url.includes('/_changes'));
    t.proxy.cut(true);
    t.proxy.cut(false);
    const doc = (await t.admin.get(t.db, user!.id)).body;
    await t.admin.insert(t.db, [{ ...doc, name: 'During cut' }]);
    await within(async () => (await t.graphql(USER, { id: user!.id })).data?.user?.name === 'During cut', 'read from CouchDB');
    const ready = await (await fetch(`${t.gateway.url}/ready`)).json();
    expect(ready.feeds.find((feed: { db: string }) => feed.db === t.db)).toMatchObject({ live: false });
    // Never the old document again, cut or not.
    for (let i = 0; i < 10; i++) expect((await t.graphql(USER, { id: user!.id })).data.user.name).toBe('During cut');

    const later = (await t.admin.get(t.db, user!.id)).body;
    await t.admin.insert(t.db, [{ ...later, name: 'Still cut' }]);
    t.proxy.failWhen(null);
    await waitUntilReady(t.gateway.url);
    // Live again only after catching up: what changed meanwhile is served from memory.
    t.proxy.reset();
    expect((await t.graphql(USER, { id: user!.id })).data.user.name).toBe('Still cut');
    expect(t.couchRequests()).toEqual([]);
  });
});
