import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADERS, startTestGateway, type TestGateway } from './support/test-gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ corsOrigins: ['https://app.example'] });
});
afterAll(() => t?.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${t.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_HEADERS, ...headers }, body });

describe('query limits', () => {
  it("let graphql-js's standard introspection query through", async () => {
    const response = await t.graphql(getIntrospectionQuery());
    expect(response.status).toBe(200);
    expect(response.data.__schema.queryType.name).toBe('Query');
  });

  it('let the deep real queries of the contract through, with a page of 1000', async () => {
    const response = await t.graphql(
      '{ users(first: 1000) { totalCount edges { cursor node { id login properties { type { identifier type } typedValue { type stringValue dateValue } } permissions { grants { type } } } } } }',
    );
    expect(response.errors).toBeUndefined();
  });

  it.each([
    ['a 50-level ofType chain', `{ __schema { types { ${'ofType { '.repeat(50)}name${' }'.repeat(50)} } } }`],
    ['129 aliases', `{ ${Array.from({ length: 129 }, (_, i) => `a${i}: currentUser { id }`).join(' ')} }`],
    ['too many tokens', `{ ${Array.from({ length: 120 }, (_, i) => `a${i}: user(id: "x") { id login email name status }`).join(' ')} ${'__typename '.repeat(8000)} }`],
    ['too many directives', `{ __typename ${'@include(if: true) '.repeat(60)} }`],
  ])('refuse %s with 400 before execution', async (_name, query) => {
    const response = await t.graphql(query);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('count page sizes in the cost: many big pages are refused', async () => {
    const pages = Array.from({ length: 20 }, (_, i) => `p${i}: users(first: 1000) { edges { node { id login email name status } } }`);
    const response = await t.graphql(`{ ${pages.join(' ')} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/too large: its complexity \d+ exceeds 100000/);
  });
});

describe('HTTP hygiene', () => {
  it('refuses GET operations without the CSRF header, accepts them with it', async () => {
    const url = `${t.gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    expect((await fetch(url, { headers: ADMIN_HEADERS })).status).toBe(403);
    const allowed = await fetch(url, { headers: { ...ADMIN_HEADERS, 'x-graphql-yoga-csrf': '1', accept: 'application/json' } });
    expect(allowed.status).toBe(200);
  });

  it('allows the configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.gateway.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
    const allowed = await preflight('https://app.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('refuses a body over the size limit with 413, and one without a length with 411', async () => {
    const big = JSON.stringify({ query: `{ userByLogin(login: "${'x'.repeat(600 * 1024)}") { id } }` });
    expect((await post(big)).status).toBe(413);
    const chunked = await fetch(`${t.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_HEADERS },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }"}'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it('answers with a request id, taken from the request when it sends a sane one', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': 'trace-123' });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect((await post(JSON.stringify({ query: '{ __typename }' }))).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('INTROSPECTION=false', () => {
  it('refuses introspection and still serves queries', async () => {
    const closed = await startTestGateway({ introspection: false });
    try {
      const refused = await closed.graphql('{ __schema { queryType { name } } }');
      expect(refused.status).toBe(400);
      expect((await closed.graphql('{ currentUser { login } }')).data.currentUser.login).toBe('admin');
    } finally {
      await closed.close();
    }
  });
});
