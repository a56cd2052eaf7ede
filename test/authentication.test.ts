import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH, WITHOUT_FEEDS } from './support/test-config.js';
import { basic, startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const ME = '{ currentUser { id login } }';

let t: TestGateway;
beforeAll(async () => {
  // Lockout is tested on gateways of its own below.
  // The feed-coherent user cache off: a remembered caller is confirmed against CouchDB
  // (as whenever the feed is not live), so changes count on the very next request.
  // test/user-cache.test.ts covers the same changes with the cache, within its bound.
  t = await startTestGateway({ auth: { ...TEST_AUTH, maxFailures: 1000, maxAddressFailures: 1000, maxIdentifierFailures: 1000 }, ...WITHOUT_FEEDS });
});
afterAll(() => t?.close());

const as = (identifier: string, secret: string) => t.graphql(ME, undefined, basic(identifier, secret));
const loggedInAs = async (identifier: string, secret: string) => (await as(identifier, secret)).data?.currentUser?.id ?? null;

async function createUser(input: Record<string, unknown>, groupId?: string) {
  const response = await t.graphql('mutation($input: CreateUserInput!, $g: ID) { createUser(input: $input, groupId: $g) { id rev } }', { input, g: groupId });
  expect(response.errors).toBeUndefined();
  return response.data.createUser as { id: string; rev: string };
}

describe('Basic authentication', () => {
  it('accepts the id, the login or the email with the password', async () => {
    const user = await createUser({ login: 'basic-jane', email: 'jane@basic.example', password: 'jane password' });
    expect(await loggedInAs('basic-jane', 'jane password')).toBe(user.id);
    expect(await loggedInAs(user.id, 'jane password')).toBe(user.id);
    expect(await loggedInAs('jane@basic.example', 'jane password')).toBe(user.id);
  });

  it("accepts groupId/identifier for a group's database", async () => {
    const user = await createUser({ login: 'grouped', password: 'group password' }, 'clinic1');
    expect(await loggedInAs('clinic1/grouped', 'group password')).toBe(user.id);
    expect(await loggedInAs('grouped', 'group password')).toBeNull();
  });

  it('accepts a live authentication token instead of the password, not an expired one', async () => {
    const user = await createUser({ login: 'token-user', password: 'token user password' });
    const created = await t.graphql('mutation { createAuthenticationToken(userId: "token-user", key: "cli", validitySeconds: 60) { token } }');
    expect(await loggedInAs('token-user', created.data.createAuthenticationToken.token)).toBe(user.id);
    const expired = 'an-expired-token-value';
    const doc = (await t.admin.get(t.db, user.id)).body;
    doc.authenticationTokens.old = { token: sha256(expired), creationTime: Date.now() - 7_200_000, validity: 3600 };
    await t.admin.insert(t.db, [doc]);
    expect(await loggedInAs('token-user', expired)).toBeNull();
  });

  it('answers wrong, missing and malformed credentials with 401 and a Basic challenge', async () => {
    await createUser({ login: 'wrong-pw', password: 'the right password' });
    const cases = [
      basic('wrong-pw', 'a wrong password'),
      basic('nobody-at-all', 'whatever password'),
      {},
      { authorization: 'Basic not*base64' },
      { authorization: `Basic ${Buffer.from('no-colon-here').toString('base64')}` },
      { authorization: 'Bearer abc' },
      basic('Bad Group/wrong-pw', 'the right password'),
    ];
    for (const headers of cases) {
      const response = await fetch(`${t.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: ME }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets only ACTIVE, non-deleted users in', async () => {
    const hash = `{bcrypt}${bcrypt.hashSync('status password', 4)}`;
    const users = ['ACTIVE', 'DISABLED', 'REGISTERING'].map((status) => icureUser({ login: `status-${status}`, status: status as never, passwordHash: hash }));
    const deleted = icureUser({ login: 'status-deleted', passwordHash: hash, deleted: Date.now() });
    await t.admin.insert(t.db, [...users, deleted]);
    expect(await loggedInAs('status-ACTIVE', 'status password')).toBe(users[0]!._id);
    expect(await loggedInAs('status-DISABLED', 'status password')).toBeNull();
    expect(await loggedInAs('status-REGISTERING', 'status password')).toBeNull();
    expect(await loggedInAs(deleted._id, 'status password')).toBeNull();
  });

  it('verifies the hashes iCure writes, for a user iCure has just stored (absence is never cached)', async () => {
    const salt = 'c2FsdHk=';
    expect(await loggedInAs('icure-salted', 'LetMeIn')).toBeNull();
    const salted = icureUser({ login: 'icure-salted', passwordHash: `{${salt}}${sha256(`LetMeIn{${salt}}`)}` });
    const bare = icureUser({ login: 'icure-bare', passwordHash: sha256('LetMeIn') });
    const prefixed = icureUser({ login: 'icure-bcrypt', passwordHash: `{bcrypt}${bcrypt.hashSync('LetMeIn', 4)}` });
    await t.admin.insert(t.db, [salted, bare, prefixed]);
    expect(await loggedInAs('icure-salted', 'LetMeIn')).toBe(salted._id);
    expect(await loggedInAs('icure-bare', 'LetMeIn')).toBe(bare._id);
    expect(await loggedInAs('icure-bcrypt', 'LetMeIn')).toBe(prefixed._id);
    expect(await loggedInAs('icure-bcrypt', 'LetMeOut')).toBeNull();
  });
});

describe('the verified-credential cache', () => {
  it('stops honouring a changed password, a disabled or a deleted user at once', async () => {
    const user = await createUser({ login: 'cached', password: 'cached password 1' });
    expect(await loggedInAs('cached', 'cached password 1')).toBe(user.id);
    // Changed behind the gateway's back, as iCure would.
    const doc = (await t.admin.get(t.db, user.id)).body;
    await t.admin.insert(t.db, [{ ...doc, passwordHash: `{bcrypt}${bcrypt.hashSync('cached password 2', 4)}` }]);
    expect(await loggedInAs('cached', 'cached password 1')).toBeNull();
    expect(await loggedInAs('cached', 'cached password 2')).toBe(user.id);

    const current = (await t.admin.get(t.db, user.id)).body;
    const [disabled] = await t.admin.insert(t.db, [{ ...current, status: 'DISABLED' }]);
    expect(await loggedInAs('cached', 'cached password 2')).toBeNull();
    await t.admin.insert(t.db, [{ ...current, _rev: disabled!.rev, status: 'ACTIVE', deleted: Date.now() }]);
    expect(await loggedInAs('cached', 'cached password 2')).toBeNull();
  });

  it('verifies a credential once for concurrent requests that bring it first', async () => {
    await createUser({ login: 'burst', password: 'burst password' });
    t.proxy.reset();
    const answers = await Promise.all(Array.from({ length: 16 }, () => as('burst', 'burst password')));
    expect(answers.map((answer) => answer.data?.currentUser?.login)).toEqual(Array(16).fill('burst'));
    // One lookup by id, login and email (an _all_docs and a view request), not sixteen. Requests that
    // arrive once it has verified confirm the remembered caller by id instead (an _all_docs each, no view).
    const requests = t.couchRequests();
    expect(requests.filter((request) => request.includes('/_view/'))).toEqual([`POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`]);
    expect(requests.filter((request) => !request.includes('/_view/')).every((request) => request === `POST /${t.db}/_all_docs`)).toBe(true);
  });

  it("runs a query as the caller now is: rights revoked behind the gateway's back count on the next request", async () => {
    const [admin] = await t.admin.insert(t.db, [
      icureUser({ login: 'demoted', passwordHash: `{bcrypt}${bcrypt.hashSync('demoted password', 4)}`, permissions: [{ grants: [{ type: 'ADMIN' }] }] }),
    ]);
    const other = await createUser({ login: 'someone-else' });
    const readOther = () =>
      t.graphql(`{ user(id: "${other.id}") { id } currentUser { login properties { type { identifier } } } }`, undefined, basic('demoted', 'demoted password'));
    expect((await readOther()).data?.user).toEqual({ id: other.id });

    // The credential is remembered with the admin grant; the document no longer has it.
    const doc = (await t.admin.get(t.db, admin!.id)).body;
    await t.admin.insert(t.db, [
      { ...doc, permissions: [], properties: [{ type: { identifier: 'org.example.flag', type: 'BOOLEAN' }, typedValue: { type: 'BOOLEAN', booleanValue: true } }] },
    ]);
    const after = await readOther();
    expect(after.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(after.data?.user ?? null).toBeNull();
    expect(after.data?.currentUser).toEqual({ login: 'demoted', properties: [{ type: { identifier: 'org.example.flag' } }] });
  });

  it('answers 401 to a query whose remembered credential no longer verifies, whatever the query read', async () => {
    const user = await createUser({ login: 'revoked-reader', password: 'reader password 1' });
    const other = await createUser({ login: 'read-by-revoked' });
    await t.graphql(ME, undefined, basic('revoked-reader', 'reader password 1'));
    const doc = (await t.admin.get(t.db, user.id)).body;
    await t.admin.insert(t.db, [{ ...doc, passwordHash: `{bcrypt}${bcrypt.hashSync('reader password 2', 4)}` }]);
    const response = await t.graphql(`{ user(id: "${other.id}") { id login } }`, undefined, basic('revoked-reader', 'reader password 1'));
    expect(response.status).toBe(401);
    expect(response.data ?? null).toBeNull();
    expect(JSON.stringify(response)).not.toContain('read-by-revoked');
  });

  it('starts no mutation before the remembered caller is confirmed: a changed password writes nothing', async () => {
    const user = await createUser({ login: 'revoked-writer', password: 'writer password 1' });
    await t.graphql(ME, undefined, basic('revoked-writer', 'writer password 1'));
    const doc = (await t.admin.get(t.db, user.id)).body;
    const [changed] = await t.admin.insert(t.db, [{ ...doc, passwordHash: `{bcrypt}${bcrypt.hashSync('writer password 2', 4)}` }]);
    const response = await t.graphql(
      'mutation($id: ID!) { modifyUserProperties(userId: $id, properties: [{ type: { identifier: "org.example.x", type: STRING }, typedValue: { type: STRING, stringValue: "written" } }]) { id } }',
      { id: user.id },
      basic('revoked-writer', 'writer password 1'),
    );
    expect(response.status, JSON.stringify(response.errors)).toBe(401);
    expect((await t.admin.get(t.db, user.id)).body._rev).toBe(changed!.rev);
  });

  it('spares bcrypt: a cached credential costs one read by id, in the same batch as the query reads by id', async () => {
    await createUser({ login: 'fast', password: 'fast password', healthcarePartyId: 'hcp-fast' });
    const other = await createUser({ login: 'fast-other' });
    await as('fast', 'fast password');
    t.proxy.reset();
    await as('fast', 'fast password');
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_all_docs`]);
    t.proxy.reset();
    const read = await t.graphql(`{ user(id: "${other.id}") { login } currentUser { login } }`, undefined, basic('fast', 'fast password'));
    expect(read.data).toEqual({ user: { login: 'fast-other' }, currentUser: { login: 'fast' } });
    expect(t.couchRequests()).toEqual([`POST /${t.db}/_all_docs`]);
  });
});

// The lockout model through a reverse proxy, with several client addresses: trusted-proxies.test.ts.
describe('lockout', () => {
  const windowMs = 1_500;
  async function lockoutGateway() {
    return startTestGateway({ auth: { ...TEST_AUTH, maxFailures: 3, maxAddressFailures: 5, failureWindowMs: windowMs } });
  }
  const attempt = (gateway: TestGateway, identifier: string, secret: string) => gateway.graphql(ME, undefined, basic(identifier, secret));

  it('locks an identifier from an address after too many failures, even for the right password, until the window passes', async () => {
    const g = await lockoutGateway();
    try {
      for (let i = 0; i < 3; i++) expect((await attempt(g, 'admin', 'wrong password')).status).toBe(401);
      const locked = await fetch(`${g.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...basic('admin', 'admin-password-for-tests') },
        body: JSON.stringify({ query: ME }),
      });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = await locked.json();
      expect(body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfter: expect.any(Number) });
      await new Promise((resolve) => setTimeout(resolve, windowMs + 200));
      expect((await attempt(g, 'admin', 'admin-password-for-tests')).data.currentUser.login).toBe('admin');
    } finally {
      await g.close();
    }
  });

  it('forgets the failures of an identifier and address that log in', async () => {
    const g = await lockoutGateway();
    try {
      await attempt(g, 'admin', 'wrong password');
      await attempt(g, 'admin', 'wrong password');
      expect((await attempt(g, 'admin', 'admin-password-for-tests')).status).toBe(200);
      // The pair's count starts again: two more failures lock nothing.
      expect((await attempt(g, 'admin', 'wrong password')).status).toBe(401);
      expect((await attempt(g, 'admin', 'wrong password')).status).toBe(401);
      expect((await attempt(g, 'admin', 'admin-password-for-tests')).status).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('one identifier locked leaves the others from the same address alone', async () => {
    const g = await lockoutGateway();
    try {
      await g.graphql('mutation { createUser(input: { login: "bystander", password: "bystander password" }) { id } }');
      for (let i = 0; i < 3; i++) await attempt(g, 'victim', 'wrong password');
      expect((await attempt(g, 'victim', 'wrong password')).status).toBe(429);
      expect((await attempt(g, 'bystander', 'bystander password')).status).toBe(200);
      expect((await attempt(g, 'admin', 'admin-password-for-tests')).status).toBe(200);
    } finally {
      await g.close();
    }
  });

  it('throttles an address that fails for many identifiers, but not a credential verified before', async () => {
    const g = await lockoutGateway();
    try {
      await g.graphql('mutation { createUser(input: { login: "newcomer", password: "newcomer password" }) { id } }');
      expect((await attempt(g, 'admin', 'admin-password-for-tests')).status).toBe(200);
      for (const name of ['u1', 'u2', 'u3', 'u4', 'u5']) expect((await attempt(g, name, 'guess password')).status).toBe(401);
      const throttled = await attempt(g, 'newcomer', 'newcomer password');
      expect(throttled.status).toBe(429);
      expect(throttled.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
      expect((await attempt(g, 'admin', 'admin-password-for-tests')).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
