import { request as httpRequest } from 'node:http';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../src/server.js';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.js';
import { subscribe, type SseMessage, type SseSubscription } from './support/sse.js';
import { TEST_SUBSCRIPTIONS, testConfig } from './support/test-config.js';
import { ADMIN_HEADERS, basic, startTestGateway, waitUntilReady, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

const USERS_CHANGED = `subscription Users($after: ID, $groupId: ID, $hcp: ID) {
  usersChanged(after: $after, groupId: $groupId, healthcarePartyId: $hcp) { cursor kind userId user { id rev login name status deletionDate hasPassword } }
}`;
const USER_CHANGED = `subscription One($id: ID!, $groupId: ID) {
  userChanged(id: $id, groupId: $groupId) { cursor kind userId user { id rev name authenticationTokens { key } } }
}`;

const hash = (password: string) => `{bcrypt}${bcrypt.hashSync(password, 4)}`;
let counter = 0;
const unique = (base: string) => `${base}-${++counter}-${Date.now().toString(36)}`;

/** The data of a `next` event, failing on errors. */
function dataOf(message: SseMessage): any {
  expect(message.event).toBe('next');
  expect(message.result?.errors).toBeUndefined();
  return message.result!.data!;
}

/** The events of a stream up to the first that passes `test`, that one included. */
async function until(stream: SseSubscription, test: (data: any) => boolean): Promise<any[]> {
  const seen: any[] = [];
  for (;;) {
    const data = dataOf(await stream.next());
    seen.push(data);
    if (test(data)) return seen;
  }
}

/** The data of the next `count` events of a stream. */
async function take(stream: SseSubscription, count: number): Promise<any[]> {
  const taken: any[] = [];
  while (taken.length < count) taken.push(dataOf(await stream.next()));
  return taken;
}

/** A refusal: the stream's one event is this error, then it completes (HTTP 200: SSE clients do not retry it). */
async function expectEnded(stream: SseSubscription, code: string): Promise<Record<string, unknown>> {
  const message = await stream.next();
  expect(message.event).toBe('next');
  expect(message.result?.errors?.[0]?.extensions?.code, JSON.stringify(message.result)).toBe(code);
  expect((await stream.next()).event).toBe('complete');
  await stream.ended;
  return message.result!.errors![0]!.extensions!;
}

describe('subscriptions over SSE', () => {
  let t: TestGateway;
  const open: SseSubscription[] = [];
  const sub = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = ADMIN_HEADERS, init = {}) => {
    const stream = await subscribe(t.gateway.url, query, variables, headers, init);
    open.push(stream);
    return stream;
  };
  const putStraight = async (id: string, change: Record<string, unknown>) => {
    const doc = (await t.admin.get(t.db, id)).body;
    const [written] = await t.admin.insert(t.db, [{ ...doc, ...change }]);
    return written!.rev;
  };

  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    for (const stream of open) stream.close();
    await t?.close();
  });

  it('delivers changes made through the gateway and straight into CouchDB: each kind, the user as it now is, an id per event', async () => {
    const stream = await sub(USERS_CHANGED);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const login = unique('watched');
    const created = await t.graphql(`mutation { createUser(input: { login: "${login}", password: "a password of his" }) { id rev } }`);
    const { id, rev } = created.data.createUser;
    const [first] = await until(stream, (data) => data.usersChanged.userId === id);
    expect(first.usersChanged).toMatchObject({ kind: 'CREATED', user: { id, rev, login, hasPassword: true, status: 'ACTIVE', deletionDate: null } });

    const renamed = await putStraight(id, { name: 'Renamed in CouchDB' });
    const [update] = await until(stream, () => true);
    expect(update.usersChanged).toMatchObject({ kind: 'UPDATED', user: { rev: renamed, name: 'Renamed in CouchDB' } });

    const deleted = await t.graphql(`mutation { deleteUser(userId: "${id}", rev: "${renamed}") { rev } }`);
    const [deletion] = await until(stream, () => true);
    expect(deletion.usersChanged).toMatchObject({ kind: 'DELETED', user: { rev: deleted.data.deleteUser.rev, deletionDate: expect.any(Number) } });

    const restored = await t.graphql(`mutation { undeleteUser(userId: "${id}", rev: "${deleted.data.deleteUser.rev}") { rev } }`);
    const [undeletion] = await until(stream, () => true);
    expect(undeletion.usersChanged).toMatchObject({ kind: 'UNDELETED', user: { rev: restored.data.undeleteUser.rev, deletionDate: null } });

    const purged = await t.admin.request('DELETE', `${t.db}/${id}?rev=${restored.data.undeleteUser.rev}`);
    expect(purged.status).toBe(200);
    const [purge] = await until(stream, () => true);
    expect(purge.usersChanged).toMatchObject({ kind: 'DELETED', userId: id, user: null });

    // Each event's id line is its cursor; cursors follow the database's order.
    const cursors = [first, update, deletion, undeletion, purge].map((data) => data.usersChanged.cursor);
    expect(new Set(cursors).size).toBe(5);
    expect(stream.pending()).toEqual([]);
  });

  it('writes the cursor as the SSE id of the event and keeps idle streams alive with comments', async () => {
    const stream = await sub(USERS_CHANGED);
    const [written] = await t.admin.insert(t.db, [icureUser({ name: 'With an id' })]);
    for (;;) {
      const message = await stream.next();
      if (dataOf(message).usersChanged.userId !== written!.id) continue;
      expect(message.id).toBe(dataOf(message).usersChanged.cursor);
      break;
    }
    // SUBSCRIPTION_KEEPALIVE_MS is 300 in the tests.
    const before = stream.comments();
    await expect.poll(() => stream.comments(), { timeout: 10_000 }).toBeGreaterThan(before + 1);
  });

  it("sends the stream's position as an id of its own at the start, and again when others' changes move it, so an idle client resumes without a gap", async () => {
    const doc = icureUser({ name: 'watched' });
    const stream = await sub(USER_CHANGED, { id: doc._id });
    await expect.poll(() => stream.lastEventId()).not.toBeNull();
    const [watched] = await t.admin.insert(t.db, [doc]);
    expect(dataOf(await stream.next()).userChanged.kind).toBe('CREATED');
    const start = stream.lastEventId();
    await t.admin.insert(t.db, [icureUser(), icureUser()]);
    await expect.poll(() => stream.lastEventId(), { timeout: 10_000 }).not.toBe(start);
    expect(stream.pending()).toEqual([]);
    stream.close();
    await putStraight(watched!.id, { name: 'changed while away' });
    const resumed = await sub(USER_CHANGED, { id: watched!.id }, { ...ADMIN_HEADERS, 'last-event-id': stream.lastEventId()! });
    expect(dataOf(await resumed.next()).userChanged).toMatchObject({ kind: 'UPDATED', user: { name: 'changed while away' } });
  });

  describe('authorization, event by event, with the rules of queries', () => {
    const password = 'a password for them';
    let practiceUser: { id: string; headers: Record<string, string> };
    let patient: { id: string; headers: Record<string, string> };
    beforeAll(async () => {
      const [hcpUser, patientUser] = await t.admin.insert(t.db, [
        icureUser({ login: unique('doctor'), passwordHash: hash(password), healthcarePartyId: 'hcp-1' }),
        icureUser({ login: unique('patient'), passwordHash: hash(password), patientId: 'patient-1' }),
      ]);
      const loginOf = async (id: string) => (await t.admin.get(t.db, id)).body.login as string;
      practiceUser = { id: hcpUser!.id, headers: basic(await loginOf(hcpUser!.id), password) };
      patient = { id: patientUser!.id, headers: basic(await loginOf(patientUser!.id), password) };
    });

    it('refuses in the stream what the query counterpart refuses: FORBIDDEN, UNAUTHENTICATED', async () => {
      await expectEnded(await sub(USERS_CHANGED, {}, patient.headers), 'FORBIDDEN');
      await expectEnded(await sub(USER_CHANGED, { id: practiceUser.id }, patient.headers), 'FORBIDDEN');
      await expectEnded(await sub(USERS_CHANGED, { groupId: 'other-group' }, practiceUser.headers), 'FORBIDDEN');
      const anonymous = await sub(USERS_CHANGED, {}, {});
      expect(anonymous.status).toBe(200);
      await expectEnded(anonymous, 'UNAUTHENTICATED');
    });

    it('gives a user its own changes, and a practice user the others, with the field rules of queries (tokens: admins and self only)', async () => {
      const own = await sub(USER_CHANGED, { id: patient.id }, patient.headers);
      const practice = await sub(USER_CHANGED, { id: patient.id }, practiceUser.headers);
      await putStraight(patient.id, { name: 'Patient renamed', authenticationTokens: { phone: { token: 'x', creationTime: 1, validity: -1 } } });
      const [mine] = await until(own, () => true);
      expect(mine.userChanged.user).toMatchObject({ name: 'Patient renamed', authenticationTokens: [{ key: 'phone' }] });
      const message = await practice.next();
      expect(message.result?.data?.userChanged.user).toMatchObject({ name: 'Patient renamed', authenticationTokens: null });
      expect(message.result?.errors?.[0]).toMatchObject({ path: ['userChanged', 'user', 'authenticationTokens'], extensions: { code: 'FORBIDDEN' } });
    });

    it('filters by healthcare party, and never sends what a caller may not read', async () => {
      const practice = await sub(USERS_CHANGED, { hcp: 'hcp-1' }, practiceUser.headers);
      const [other, linked] = await t.admin.insert(t.db, [icureUser({ healthcarePartyId: 'hcp-2' }), icureUser({ healthcarePartyId: 'hcp-1' })]);
      const [event] = await until(practice, () => true);
      expect(event.usersChanged.userId).toBe(linked!.id);
      expect(other).toBeDefined();
    });
  });

  describe("a subscriber's own access revoked ends its stream", () => {
    const password = 'first password';
    const revocations: [string, Record<string, unknown>, string][] = [
      ['its password changed', { passwordHash: hash('second password') }, 'UNAUTHENTICATED'],
      ['disabled', { status: 'DISABLED' }, 'UNAUTHENTICATED'],
      ['soft-deleted', { deleted: 1_700_000_000_000 }, 'UNAUTHENTICATED'],
      ['its ADMIN grant revoked', { permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [{ type: 'ADMIN' }] }] }, 'FORBIDDEN'],
    ];
    it.each(revocations)('%s', async (_what, change, code) => {
      const login = unique('revoked');
      const [admin] = await t.admin.insert(t.db, [icureUser({ login, passwordHash: hash(password), permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [] }] })]);
      const stream = await sub(USERS_CHANGED, {}, basic(login, password));
      // Still allowed: it sees a change of another user.
      const [other] = await t.admin.insert(t.db, [icureUser()]);
      await until(stream, (data) => data.usersChanged.userId === other!.id);
      await putStraight(admin!.id, change);
      await expectEnded(stream, code);
    });

    it('refuses a remembered credential that no longer verifies before the stream starts, as any request (401)', async () => {
      const login = unique('remembered');
      const [user] = await t.admin.insert(t.db, [icureUser({ login, passwordHash: hash(password), healthcarePartyId: 'hcp-r' })]);
      const first = await sub(USERS_CHANGED, {}, basic(login, password));
      expect(first.status).toBe(200);
      first.close();
      const rev = await putStraight(user!.id, { passwordHash: hash('another password') });
      await expect.poll(async () => (await t.graphql(`{ user(id: "${user!.id}") { rev } }`)).data.user.rev, { timeout: 10_000 }).toBe(rev);
      // The credential cache still remembers the old password: the caller's current document refuses it.
      const refused = await sub(USERS_CHANGED, {}, basic(login, password));
      expect(refused.status).toBe(401);
      expect((await refused.next()).result?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('also when its access is to another database (a platform admin on a group)', async () => {
      const login = unique('platform');
      const [admin] = await t.admin.insert(t.db, [icureUser({ login, passwordHash: hash(password), permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [] }] })]);
      const created = await t.graphql('mutation { createUser(input: { login: "in-group" }, groupId: "revocation-group") { id } }');
      expect(created.errors).toBeUndefined();
      const stream = await sub(USERS_CHANGED, { groupId: 'revocation-group' }, basic(login, password));
      await t.graphql('mutation { createUser(input: { login: "in-group-2" }, groupId: "revocation-group") { id } }');
      await until(stream, (data) => data.usersChanged.kind === 'CREATED');
      await putStraight(admin!.id, { permissions: [] });
      await expectEnded(stream, 'FORBIDDEN');
    });
  });

  describe('resuming', () => {
    it('replays what a client missed after Last-Event-ID, in order, without duplicates; the header wins over after', async () => {
      // A subscriber that stays connected shows the database's order (CouchDB orders a batch's documents its own way).
      const reference = await sub(USERS_CHANGED);
      const first = await sub(USERS_CHANGED);
      await t.admin.insert(t.db, [icureUser({ name: 'r1' }), icureUser({ name: 'r2' })]);
      const seen = await take(first, 2);
      const last = seen.at(-1).usersChanged.cursor;
      first.close();
      await t.admin.insert(t.db, [icureUser({ name: 'r3' }), icureUser({ name: 'r4' })]);
      const inOrder = (await take(reference, 4)).map((data) => data.usersChanged);
      const missed = inOrder.slice(inOrder.findIndex((event) => event.cursor === last) + 1);
      expect(missed).toHaveLength(2);

      const resumed = await sub(USERS_CHANGED, { after: 'not-this-one' }, { ...ADMIN_HEADERS, 'last-event-id': last });
      expect((await take(resumed, 2)).map((data) => data.usersChanged)).toEqual(missed);
      const [live] = await t.admin.insert(t.db, [icureUser({ name: 'r5' })]);
      const [next] = await take(resumed, 1);
      expect(next.usersChanged.userId).toBe(live!.id);
      expect(resumed.pending()).toEqual([]);

      // `after` alone works the same.
      const byArgument = await sub(USERS_CHANGED, { after: last });
      expect((await take(byArgument, 3)).map((data) => data.usersChanged)).toEqual([...missed, next.usersChanged]);
    });

    it('answers a cursor it cannot resume with STALE_CURSOR: query again', async () => {
      const stale = await sub(USERS_CHANGED, { after: 'AAAAAAAA.1' });
      expect(stale.status).toBe(200);
      const extensions = await expectEnded(stale, 'STALE_CURSOR');
      expect(extensions).toEqual({ code: 'STALE_CURSOR', field: 'after' });
      const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/gateway_graphql_errors_total\{code="STALE_CURSOR"\} [1-9]/);
    });
  });

  it('refuses a GET subscription without the CSRF header, streams one with it', async () => {
    const refused = await sub('subscription { usersChanged { cursor } }', {}, ADMIN_HEADERS, { method: 'GET' });
    expect(refused.status).toBe(403);
    const allowed = await sub('subscription { usersChanged { cursor } }', {}, { ...ADMIN_HEADERS, 'x-graphql-yoga-csrf': '1' }, { method: 'GET' });
    expect(allowed.status).toBe(200);
    await t.admin.insert(t.db, [icureUser()]);
    expect(dataOf(await allowed.next()).usersChanged.cursor).toEqual(expect.any(String));
  });
});

describe('fan-out: one change feed per database serves every subscriber of an instance', () => {
  let t: TestGateway;
  let proxyOfB: CountingProxy;
  let b: Gateway;
  const streams: SseSubscription[] = [];
  beforeAll(async () => {
    t = await startTestGateway();
    // Instance B talks to CouchDB through a proxy of its own, which counts B's requests only.
    proxyOfB = await startCountingProxy(t.couch.url);
    b = await startGateway(
      testConfig(proxyOfB.url, { dbPrefix: t.prefix, userCache: { maxUsers: 0 }, subscriptions: { ...TEST_SUBSCRIPTIONS, perCaller: 100 } }),
      pino({ level: 'silent' }),
    );
    await waitUntilReady(b.url);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await b?.close();
    await proxyOfB?.close();
    await t?.close();
  });

  /** Writes through instance A and straight into CouchDB; every stream must see both, and B must ask CouchDB nothing. */
  async function writesReachEveryone(): Promise<string[]> {
    proxyOfB.reset();
    const login = unique('through-a');
    const throughA = await t.graphql(`mutation { createUser(input: { login: "${login}" }) { id } }`);
    const [straight] = await t.admin.insert(t.db, [icureUser({ name: 'straight into CouchDB' })]);
    const ids = [throughA.data.createUser.id, straight!.id];
    for (const stream of streams) {
      const seen = new Set<string>();
      await until(stream, (data) => {
        seen.add(data.usersChanged.userId);
        return ids.every((id) => seen.has(id));
      });
    }
    return proxyOfB.requests.map((request) => `${request.method} ${request.url.split('?')[0]}`);
  }

  it('B, without a cache, delivers writes made through A and straight into CouchDB, with no CouchDB request, for 1 or 30 subscribers', async () => {
    streams.push(await subscribe(b.url, USERS_CHANGED, {}, ADMIN_HEADERS));
    expect(await writesReachEveryone()).toEqual([]);
    for (let i = 0; i < 29; i++) streams.push(await subscribe(b.url, USERS_CHANGED, {}, ADMIN_HEADERS));
    expect(await writesReachEveryone()).toEqual([]);
  });
});

describe('limits and ends', () => {
  it('limits subscriptions per caller and per instance (TOO_MANY_REQUESTS), and frees a slot when a client goes away', async () => {
    const t = await startTestGateway({ subscriptions: { ...TEST_SUBSCRIPTIONS, perCaller: 2, max: 3 } });
    const streams: SseSubscription[] = [];
    try {
      const other = await t.graphql('mutation { createUser(input: { login: "second-caller", password: "second caller password" }) { id } }');
      expect(other.errors).toBeUndefined();
      for (let i = 0; i < 2; i++) streams.push(await subscribe(t.gateway.url, USERS_CHANGED, {}, ADMIN_HEADERS));
      const third = await subscribe(t.gateway.url, USERS_CHANGED, {}, ADMIN_HEADERS);
      expect(await expectEnded(third, 'TOO_MANY_REQUESTS')).toMatchObject({ limit: 2 });
      const secondCaller = basic('second-caller', 'second caller password');
      streams.push(await subscribe(t.gateway.url, USER_CHANGED, { id: other.data.createUser.id }, secondCaller));
      expect(await expectEnded(await subscribe(t.gateway.url, USER_CHANGED, { id: other.data.createUser.id }, secondCaller), 'TOO_MANY_REQUESTS')).toMatchObject({
        limit: 3,
      });
      streams.shift()!.close();
      // The server notices the closed connection and ends that stream.
      await expect
        .poll(
          async () => {
            const attempt = await subscribe(t.gateway.url, USERS_CHANGED, {}, ADMIN_HEADERS);
            streams.push(attempt);
            const early = await Promise.race([attempt.next(200).catch(() => null), new Promise((resolve) => setTimeout(() => resolve(null), 300))]);
            return early === null;
          },
          { timeout: 10_000 },
        )
        .toBe(true);
    } finally {
      for (const stream of streams) stream.close();
      await t.close();
    }
  });

  it('ends a client that stops reading with SLOW_CONSUMER and its cursor once its queue is full; it resumes from there without a loss', async () => {
    const t = await startTestGateway({ subscriptions: { ...TEST_SUBSCRIPTIONS, queueMax: 20, window: 5000 } });
    try {
      // A raw HTTP client whose socket stops reading: the server's buffers fill, then its queue.
      const received: string[] = [];
      let text = '';
      const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        const request = httpRequest(`${t.gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...ADMIN_HEADERS },
        });
        request.on('response', resolve).on('error', reject);
        request.end(JSON.stringify({ query: 'subscription { usersChanged { cursor userId user { name } } }' }));
      });
      response.pause();
      const batch = 2000;
      // 16 MB of events: more than the socket buffers on both sides hold.
      const docs = Array.from({ length: batch }, (_, index) => icureUser({ name: `${index} ${'x'.repeat(8000)}` }));
      await t.admin.insert(t.db, docs);
      // Read only once the server has given up on this client (its stream ended with an error).
      await expect
        .poll(async () => (await (await fetch(`${t.gateway.url}/metrics`)).text()).match(/^gateway_subscriptions_open (\d+)/m)?.[1], { timeout: 30_000 })
        .toBe('0');
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      const ended = new Promise<void>((resolve) => response.on('end', resolve));
      response.resume();
      await ended;
      for (const block of text.split('\n\n')) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) received.push(data.slice(6));
      }
      const results = received.map((line) => JSON.parse(line));
      const failure = results.at(-1);
      expect(failure.errors[0].extensions).toMatchObject({ code: 'SLOW_CONSUMER', cursor: expect.any(String) });
      const delivered = results.slice(0, -1).map((result) => result.data.usersChanged);
      expect(delivered.length).toBeLessThan(batch);
      if (delivered.length) expect(delivered.at(-1).cursor).toBe(failure.errors[0].extensions.cursor);
      // Resuming from the cursor brings exactly the rest.
      const resumed = await subscribe(
        t.gateway.url,
        'subscription($after: ID) { usersChanged(after: $after) { userId } }',
        { after: failure.errors[0].extensions.cursor },
        ADMIN_HEADERS,
      );
      const rest: string[] = [];
      while (rest.length < batch - delivered.length) rest.push(dataOf(await resumed.next()).usersChanged.userId);
      resumed.close();
      // Every user once: CouchDB orders the documents of one batch its own way.
      const all = [...delivered.map((event: { userId: string }) => event.userId), ...rest];
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(docs.map((doc) => doc._id).sort());
    } finally {
      await t.close();
    }
  });

  it('on shutdown, ends every stream with SERVICE_UNAVAILABLE and its cursor, then closes', async () => {
    const t = await startTestGateway();
    const stream = await subscribe(t.gateway.url, USERS_CHANGED, {}, ADMIN_HEADERS);
    const [doc] = await t.admin.insert(t.db, [icureUser()]);
    const [seen] = await until(stream, (data) => data.usersChanged.userId === doc!.id);
    const closing = t.close();
    const extensions = await expectEnded(stream, 'SERVICE_UNAVAILABLE');
    expect(extensions.cursor).toBe(seen.usersChanged.cursor);
    await closing;
  });

  it('lets a browser on another allowed origin send Last-Event-ID (CORS)', async () => {
    const t = await startTestGateway({ corsOrigins: ['https://app.example'] });
    try {
      const preflight = await fetch(`${t.gateway.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,last-event-id' },
      });
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/last-event-id/i);
    } finally {
      await t.close();
    }
  });
});
