import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneUserForOneLogin } from './support/contended-login.js';
import { startMain } from './support/processes.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './support/test-couch.js';
import { TEST_ADMIN, uniquePrefix } from './support/test-config.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

const CREATE = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id rev login } }';
const MODIFY = 'mutation($input: ModifyUserInput!) { modifyUser(input: $input) { id rev login } }';

describe('50 concurrent createUser with one login, over two gateway processes', () => {
  let couch: TestCouch;
  let admin: CouchAdmin;
  const prefix = uniquePrefix();
  const gateways: Awaited<ReturnType<typeof startMain>>[] = [];

  beforeAll(async () => {
    couch = await startTestCouch();
    admin = new CouchAdmin(couch.url);
    const env = { COUCHDB_URL: couch.url, DB_PREFIX: prefix, BCRYPT_ROUNDS: '4', ADMIN_PASSWORD: TEST_ADMIN.password };
    gateways.push(await startMain(env), await startMain(env));
    await Promise.all(gateways.map((gateway) => gateway.ready()));
  });
  afterAll(async () => {
    for (const gateway of gateways) {
      gateway.child.kill('SIGTERM');
      await gateway.finished;
    }
    for (const db of await admin.databases()) if (db.startsWith(`${prefix}-`)) await admin.deleteDatabase(db);
    await couch.close();
  });

  it('gives exactly one user, 49 ALREADY_EXISTS and no orphan reservation', async () => {
    await expectOneUserForOneLogin(
      gateways.map((gateway) => gateway.url),
      admin,
      `${prefix}-base`,
      'contended-login',
    );
  });
});

describe('a crash between two writes never lets two users share a login', () => {
  let t: TestGateway;
  // Long enough that a busy machine cannot outlast it between a crash and the checks right after.
  const graceMs = 1_500;
  beforeAll(async () => {
    t = await startTestGateway({ reservationGraceMs: graceMs });
  });
  afterAll(() => t?.close());

  const create = (login: string) => t.graphql(CREATE, { input: { login } });
  const code = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code;
  const waitOutGrace = () => new Promise((resolve) => setTimeout(resolve, graceMs + 100));

  it('costs a known number of CouchDB requests per createUser', async () => {
    await t.graphql('{ __typename }');
    t.proxy.reset();
    expect(code(await create('counted'))).toBeUndefined();
    const requests = t.couchRequests();
    // PUT the login reservation, check iCure-written users in the view, PUT the user; the caller is
    // confirmed from the feed-coherent cache (without it, one more read: POST _all_docs).
    expect(requests).toEqual([
      `PUT /${t.db}/icure-user-gateway%3Alogin%3Acounted`,
      `POST /${t.db}/_design/icure-user-gateway/_view/by_identifier`,
      expect.stringMatching(new RegExp(`^PUT /${t.db}/[0-9a-f-]{36}$`)),
    ]);
  });

  it('crash after reserving the new login: the user keeps the old one, both stay safe, the orphan goes stale', async () => {
    const user = (await create('before-crash')).data.createUser;
    // The user write fails, and so does every clean-up after it: a crash.
    t.proxy.failWhen(({ method, url }) => (method === 'PUT' && url.startsWith(`/${t.db}/${user.id}`)) || method === 'DELETE');
    const failed = await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, login: 'after-crash' } });
    t.proxy.failWhen(null);
    expect(code(failed)).toBe('SERVICE_UNAVAILABLE');

    expect((await t.admin.get(t.db, user.id)).body).toMatchObject({ _rev: user.rev, login: 'before-crash' });
    expect(code(await create('before-crash'))).toBe('ALREADY_EXISTS');
    expect(code(await create('after-crash'))).toBe('ALREADY_EXISTS');
    await waitOutGrace();
    expect(code(await create('before-crash'))).toBe('ALREADY_EXISTS');
    expect(code(await create('after-crash'))).toBeUndefined();
  });

  it('crash after writing the user: the old login stays reserved until stale, the new one is held', async () => {
    const user = (await create('old-name')).data.createUser;
    t.proxy.failWhen(({ method }) => method === 'DELETE');
    const moved = await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, login: 'new-name' } });
    t.proxy.failWhen(null);
    expect(moved.data.modifyUser.login).toBe('new-name');

    expect(code(await create('new-name'))).toBe('ALREADY_EXISTS');
    await waitOutGrace();
    expect(code(await create('new-name'))).toBe('ALREADY_EXISTS');
    expect(code(await create('old-name'))).toBeUndefined();
  });
});
