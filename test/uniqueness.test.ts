import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMain } from './support/processes.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './support/test-couch.js';
import { ADMIN_HEADERS, postGraphQL, startTestGateway, TEST_ADMIN, uniquePrefix, type TestGateway } from './support/test-gateway.js';

const CREATE = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id rev login } }';
const MODIFY = 'mutation($input: ModifyUserInput!) { modifyUser(input: $input) { id rev login } }';

async function reservationsOf(admin: CouchAdmin, db: string): Promise<any[]> {
  return (await admin.allDocs(db)).filter((doc: any) => doc.java_type === 'icure-user-gateway.IdentifierReservation');
}

async function usersWithLogin(admin: CouchAdmin, db: string, login: string): Promise<any[]> {
  return (await admin.allDocs(db)).filter((doc: any) => doc.java_type === 'org.taktik.icure.entities.User' && doc.login === login);
}

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
    const login = 'contended-login';
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        postGraphQL(
          gateways[index % 2]!.url,
          CREATE,
          { input: { login, email: `writer${index}@example.org`, password: 'a long password' } },
          ADMIN_HEADERS,
        ),
      ),
    );
    const elapsed = performance.now() - started;
    console.info(`50 concurrent createUser over two processes: ${elapsed.toFixed(0)} ms`);

    const created = responses.filter((response) => !response.errors);
    expect(created).toHaveLength(1);
    const refused = responses.filter((response) => response.errors?.[0]?.extensions?.code === 'ALREADY_EXISTS');
    expect(refused).toHaveLength(49);
    for (const response of refused) expect(response.errors?.[0]?.extensions?.field).toBe('input.login');

    const db = `${prefix}-base`;
    const winner = created[0]!.data.createUser;
    expect((await usersWithLogin(admin, db, login)).map((user) => user._id)).toEqual([winner.id]);
    // Besides the first admin's own login.
    const reservations = (await reservationsOf(admin, db)).filter((reservation) => reservation.value !== TEST_ADMIN.login);
    expect(reservations).toHaveLength(2);
    expect(reservations.every((reservation) => reservation.userId === winner.id)).toBe(true);
    expect(reservations.map((reservation) => reservation.kind).sort()).toEqual(['email', 'login']);
  });
});

describe('a crash between two writes never lets two users share a login', () => {
  let t: TestGateway;
  const graceMs = 400;
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
    console.info(`one createUser (login only), authentication included: ${requests.length} CouchDB requests: ${requests.join(', ')}`);
    // Re-read the caller, PUT the login reservation, check iCure-written users in the view, PUT the user.
    expect(requests).toEqual([
      `POST /${t.db}/_all_docs`,
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
