import fc from 'fast-check';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../src/errors.js';
import { WITHOUT_FEEDS } from './support/test-config.js';
import { ADMIN_HEADERS, startTestGateway, type TestGateway } from './support/test-gateway.js';

const CONTRACT_CODES = new Set(Object.keys(errorCodes));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Tests here assert what happens, not how fast (timings belong in `npm run bench`): a request
 * still unanswered after this long has hung, which fails the test with that message.
 */
const HANG_GUARD_MS = 30_000;

interface Answer {
  status: number;
  ms: number;
  body: any;
}

async function send(t: TestGateway, init: { body?: string; headers?: Record<string, string>; method?: string; dispatcher?: Agent; guarded?: boolean }): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${t.gateway.url}/graphql`, {
      ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...ADMIN_HEADERS, ...init.headers },
      body: init.body,
      ...(init.guarded === false ? {} : { signal: AbortSignal.timeout(HANG_GUARD_MS) }),
    });
    const text = await response.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, ms: performance.now() - started, body };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') throw new Error(`no answer within ${HANG_GUARD_MS} ms: the request hung`);
    throw error;
  }
}

/** Waits until `condition` holds, checking every 20 ms; fails after the hang guard. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + HANG_GUARD_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`never saw ${what} within ${HANG_GUARD_MS} ms`);
    await sleep(20);
  }
}

const succeeded = (answer: Answer) => answer.status === 200 && Boolean(answer.body.data?.currentUser);

/** A well-formed refusal: a 4xx whose every error carries a contract code; never a 500, never a crash. */
function expectContractRefusal(answer: Answer) {
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(Array.isArray(answer.body?.errors), JSON.stringify(answer.body)).toBe(true);
  }
  for (const error of answer.body?.errors ?? []) expect(CONTRACT_CODES.has(error.extensions?.code), JSON.stringify(error)).toBe(true);
}

function expectServiceUnavailable(answer: Answer) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
}

describe('CouchDB goes away mid-traffic', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // A timeout longer than the hang guard: a request that waited for it instead of failing at once would fail the test.
    t = await startTestGateway({ couchTimeoutMs: 2 * HANG_GUARD_MS });
  });
  afterAll(() => t?.close());

  it('fails requests at once with SERVICE_UNAVAILABLE, turns /ready to 503, stays up and recovers by itself', async () => {
    const answers: Answer[] = [];
    let running = true;
    const query = JSON.stringify({ query: '{ currentUser { login } }' });
    const client = async () => {
      while (running) answers.push(await send(t, { body: query }));
    };
    const clients = Array.from({ length: 8 }, client);
    await until(() => answers.some(succeeded), 'a first success');
    t.proxy.cut(true);
    const beforeCut = answers.length;
    await until(() => answers.slice(beforeCut).some((answer) => !succeeded(answer)), 'a failure while CouchDB is away');
    const ready = await fetch(`${t.gateway.url}/ready`, { signal: AbortSignal.timeout(HANG_GUARD_MS) });
    const health = await fetch(`${t.gateway.url}/health`, { signal: AbortSignal.timeout(HANG_GUARD_MS) });
    t.proxy.cut(false);
    // Recovery without any restart: the same clients succeed again.
    const beforeRestore = answers.length;
    await until(() => answers.slice(beforeRestore).some(succeeded), 'a success after CouchDB came back');
    running = false;
    await Promise.all(clients);

    expect(ready.status).toBe(503);
    expect(health.status).toBe(200);
    const failed = answers.filter((answer) => !succeeded(answer));
    expect(failed.length).toBeGreaterThan(0);
    for (const answer of failed) expectServiceUnavailable(answer);
    expect((await fetch(`${t.gateway.url}/ready`)).status).toBe(200);
  });
});

describe('a CouchDB that stops answering', () => {
  const timeoutMs = 800;
  let t: TestGateway;
  beforeAll(async () => {
    // As many may be pending as there are connections: none waits for a connection, so each is bounded by one timeout.
    // Cache off: every request waits on CouchDB, as the bound is about (and no feed holds a connection).
    t = await startTestGateway({ couchTimeoutMs: timeoutMs, couchMaxConnections: 16, couchMaxPending: 16, ...WITHOUT_FEEDS });
    await t.graphql('{ currentUser { login } }');
  });
  afterAll(() => t?.close());

  it('ends each request with SERVICE_UNAVAILABLE after the timeout, and refuses at once what would queue past the bound', async () => {
    t.proxy.hang(true);
    t.proxy.reset();
    try {
      // 100 lookups of users that are not cached: more CouchDB requests than may wait.
      const logins = Array.from({ length: 100 }, (_, i) => `silent-${i}`);
      const answers = await Promise.all(logins.map((login) => send(t, { body: JSON.stringify({ query: `{ userByLogin(login: "${login}") { id } }` }) })));
      // None hung (send's guard): CouchDB never answers, the timeout or the bound ended every one.
      for (const answer of answers) expectServiceUnavailable(answer);
      // Some waited for the timeout (undici's timers are coarse under load: it may fire a little early).
      expect(Math.max(...answers.map((answer) => answer.ms))).toBeGreaterThanOrEqual(timeoutMs / 2);
      // Never more requests waited on CouchDB than may be pending: the other lookups were refused, not queued.
      expect(t.proxy.maxInFlight()).toBeLessThanOrEqual(16);
      const reached = logins.filter((login) => t.proxy.requests.some((request) => `${decodeURIComponent(request.url)} ${request.body}`.includes(`"${login}"`)));
      expect(reached.length).toBeGreaterThan(0);
      expect(reached.length).toBeLessThan(logins.length);
    } finally {
      t.proxy.hang(false);
    }
    expect((await t.graphql('{ currentUser { login } }')).data.currentUser.login).toBe('admin');
  });
});

describe('a burst of 2000 concurrent requests', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ couchMaxPending: 5_000 });
  });
  afterAll(() => t?.close());

  it(
    'answers every one, keeps /health answering and memory bounded',
    async () => {
      const rssBefore = process.memoryUsage().rss;
      // All 2000 are sent at once, over as many connections as a busy proxy in front of the gateway would use. Most wait
      // in the client's queue, so no single one is guarded: the test's own timeout is the hang guard of the whole burst.
      const dispatcher = new Agent({ connections: 256 });
      t.proxy.reset();
      const burst = Promise.all(
        Array.from({ length: 2_000 }, (_, i) =>
          send(t, { dispatcher, guarded: false, body: JSON.stringify({ query: `{ currentUser { login } u: user(id: "nobody-${i % 50}") { id } }` }) }),
        ),
      );
      await until(() => t.proxy.requests.length > 0, 'the burst reaching CouchDB');
      const health = await fetch(`${t.gateway.url}/health`, { signal: AbortSignal.timeout(HANG_GUARD_MS) });
      const answers = await burst;
      await dispatcher.close();
      expect(answers).toHaveLength(2_000);
      expect(answers.every((answer) => answer.status === 200 && answer.body.data.currentUser.login === 'admin')).toBe(true);
      expect(health.status).toBe(200);
      // The test process holds the gateway, the store and the 2000 clients: generous, but bounded.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
    },
    5 * HANG_GUARD_MS,
  );
});

describe('hostile input', () => {
  let t: TestGateway;
  let documentsBefore: number;
  beforeAll(async () => {
    t = await startTestGateway();
    await t.graphql('mutation { createUser(input: { login: "victim", email: "victim@example.org", password: "victim password" }) { id } }');
    documentsBefore = (await t.admin.allDocs(t.db)).length;
  });
  afterAll(() => t?.close());

  const readOnlyFields: [string, (value: string) => string][] = [
    ['user', (v) => `user(id: ${v}) { id }`],
    ['userByEmail', (v) => `userByEmail(email: ${v}) { id }`],
    ['userByLogin', (v) => `userByLogin(login: ${v}) { id }`],
    ['usersByHealthcareParty', (v) => `usersByHealthcareParty(healthcarePartyId: ${v}) { id }`],
    ['users (after)', (v) => `users(after: ${v}) { totalCount }`],
    ['users (startKey)', (v) => `users(startKey: ${v}, startDocumentId: ${v}) { totalCount }`],
    ['users (groupId)', (v) => `users(groupId: ${v}) { totalCount }`],
    ['node', (v) => `node(id: ${v}) { id }`],
    ['checkPassword', (v) => `checkPassword(password: ${v})`],
    ['authenticationTokenValid', (v) => `authenticationTokenValid(userId: ${v}, token: ${v})`],
    ['resetPassword', (v) => `resetPassword(email: ${v}, token: ${v}, newPassword: ${v})`],
    ['modifyUser', (v) => `modifyUser(input: { id: ${v}, rev: ${v}, login: ${v} }) { id }`],
    ['createUser (bad email)', (v) => `createUser(input: { login: ${v}, email: ${v}, id: ${v} }) { id }`],
    ['deleteUser', (v) => `deleteUser(userId: ${v}, rev: ${v}) { id }`],
    ['createAuthenticationToken', (v) => `createAuthenticationToken(userId: ${v}, key: ${v}) { key }`],
  ];
  const isMutation = (name: string) => /^(resetPassword|modifyUser|createUser|deleteUser|createAuthenticationToken)/.test(name);

  it('gets a contract error for random strings in every argument, as variables and inlined', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...readOnlyFields),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 50 }),
          fc.constantFrom('', ' ', '/', '..', '_design/User', '\u0000', 'a'.repeat(5000)),
        ),
        fc.boolean(),
        async ([name, field], value, inline) => {
          const operation = isMutation(name) ? 'mutation' : 'query';
          const body = inline
            ? { query: `${operation} { ${field(JSON.stringify(value))} }` }
            : { query: `${operation}($v: String!) { ${field('$v')} }`, variables: { v: value } };
          expectContractRefusal(await send(t, { body: JSON.stringify(body) }));
        },
      ),
      { numRuns: 150 },
    );
    // The random input wrote nothing: not a user, not a reservation, not a reset.
    expect((await t.admin.allDocs(t.db)).length).toBe(documentsBefore);
  });

  it('gets a 4xx for huge strings, deep and aliased documents, broken bodies and content types', async () => {
    const cases: { name: string; body?: string; headers?: Record<string, string>; method?: string }[] = [
      { name: '1 MB string', body: JSON.stringify({ query: `{ userByLogin(login: "${'x'.repeat(1024 * 1024)}") { id } }` }) },
      { name: '100 KB variable', body: JSON.stringify({ query: 'query($v: String!) { userByLogin(login: $v) { id } }', variables: { v: 'y'.repeat(100_000) } }) },
      {
        name: 'deep',
        body: JSON.stringify({ query: `{ ${'currentUser { permissions { grants { type } } } '.repeat(1)}${'__schema { types { '.repeat(30)}name${' } }'.repeat(30)} }` }),
      },
      { name: 'aliased', body: JSON.stringify({ query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: currentUser { id }`).join(' ')} }` }) },
      { name: 'malformed JSON', body: '{"query": "{ currentUser { id } }"' },
      { name: 'not an object', body: '[1, 2, 3]' },
      { name: 'wrong variables', body: JSON.stringify({ query: '{ __typename }', variables: 'nope' }) },
      { name: 'no query', body: '{}' },
      { name: 'form content type', body: 'query={__typename}', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { name: 'text content type', body: '{"query":"{ __typename }"}', headers: { 'content-type': 'text/plain' } },
      { name: 'xml content type', body: '<query/>', headers: { 'content-type': 'application/xml' } },
      { name: 'PUT', body: '{"query":"{ __typename }"}', method: 'PUT' },
      { name: 'invalid base64 credentials', body: '{"query":"{ currentUser { id } }"}', headers: { authorization: 'Basic %%%===' } },
      {
        name: 'binary credentials',
        body: '{"query":"{ currentUser { id } }"}',
        headers: { authorization: `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x00]).toString('base64')}` },
      },
      { name: 'empty credentials', body: '{"query":"{ currentUser { id } }"}', headers: { authorization: 'Basic ' } },
    ];
    for (const { name, ...init } of cases) {
      const answer = await send(t, init);
      expect(answer.status, `${name}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expectContractRefusal(answer);
      // Nothing of the request body is echoed back (the JSON parser's message would quote it).
      expect(JSON.stringify(answer.body)).not.toMatch(/is not valid JSON|Expected property name/);
    }
    expect((await fetch(`${t.gateway.url}/health`)).status).toBe(200);
    expect((await t.admin.allDocs(t.db)).length).toBe(documentsBefore);
  });

  it('gets 401 for random Authorization headers, and never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary-ascii', maxLength: 200 }), async (header) => {
        const printable = header.replace(/[^\x20-\x7e]/g, '');
        const answer = await send(t, { body: '{"query":"{ currentUser { id } }"}', headers: { authorization: printable } });
        expectContractRefusal(answer);
        expect([200, 401, 429]).toContain(answer.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('concurrent read-modify-write', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t?.close());

  it('keeps every write of clients that retry on CONFLICT', async () => {
    const ids: string[] = [];
    for (const login of ['rmw-1', 'rmw-2']) {
      ids.push((await t.graphql(`mutation { createUser(input: { login: "${login}" }) { id } }`)).data.createUser.id);
    }
    let conflicts = 0;
    const writer = async (writerIndex: number, userId: string) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const { data } = await t.graphql(`{ user(id: "${userId}") { rev properties { type { identifier } typedValue { stringValue } } } }`);
        const properties = data.user.properties.map((property: any) => ({
          type: { identifier: property.type.identifier },
          typedValue: { type: 'STRING', stringValue: property.typedValue.stringValue },
        }));
        properties.push({ type: { identifier: `writer-${writerIndex}` }, typedValue: { type: 'STRING', stringValue: `${writerIndex}` } });
        const result = await t.graphql('mutation($input: ModifyUserInput!) { modifyUser(input: $input) { rev } }', {
          input: { id: userId, rev: data.user.rev, properties },
        });
        if (!result.errors) return;
        expect(result.errors[0]?.extensions?.code).toBe('CONFLICT');
        conflicts++;
      }
      throw new Error('gave up');
    };
    await Promise.all(ids.flatMap((userId) => Array.from({ length: 8 }, (_, i) => writer(i, userId))));
    expect(conflicts).toBeGreaterThan(0);
    for (const userId of ids) {
      const stored = (await t.admin.get(t.db, userId)).body;
      expect(stored.properties.map((property: any) => property.type.identifier).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `writer-${i}`).sort());
    }
  });
});
