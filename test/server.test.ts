import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

let t: TestGateway;
const logLines: string[] = [];
const couchTimeoutMs = 1_000;
beforeAll(async () => {
  t = await startTestGateway({ couchTimeoutMs }, createLogger('info', { write: (line: string) => void logLines.push(line) }));
  await t.admin.insert(t.db, [icureUser({ _id: 'u1', login: 'one' })]);
});
afterAll(() => t?.close());

describe('health and readiness', () => {
  it('/health answers 200 while the process lives', async () => {
    expect((await fetch(`${t.gateway.url}/health`)).status).toBe(200);
  });

  it('/ready answers 200 when CouchDB answers, 503 with the reason when it does not, and recovers', async () => {
    expect((await fetch(`${t.gateway.url}/ready`)).status).toBe(200);
    t.proxy.cut(true);
    try {
      const down = await fetch(`${t.gateway.url}/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ready: false, reason: expect.stringContaining('CouchDB') });
      expect((await fetch(`${t.gateway.url}/health`)).status).toBe(200);
    } finally {
      t.proxy.cut(false);
    }
    expect((await fetch(`${t.gateway.url}/ready`)).status).toBe(200);
  });
});

describe('CouchDB failures', () => {
  // That it fails at once, without waiting for the timeout, is tested in faults.test.ts.
  it('a CouchDB that is down gives SERVICE_UNAVAILABLE, and the gateway recovers by itself', async () => {
    t.proxy.cut(true);
    try {
      const response = await t.graphql('{ user(id: "u1") { id } }');
      expect(response.status).toBe(503);
      expect(response.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      t.proxy.cut(false);
    }
    expect((await t.graphql('{ user(id: "u1") { id } }')).data).toEqual({ user: { id: 'u1' } });
  });

  it('a CouchDB that never answers gives SERVICE_UNAVAILABLE once the configured timeout has passed', async () => {
    t.proxy.hang(true);
    try {
      const started = performance.now();
      // Without the timeout this request would hang until the test's own timeout fails it. A login
      // no cached user holds, so that the lookup asks CouchDB.
      const response = await t.graphql('{ userByLogin(login: "held-by-nobody") { id } }');
      expect(response.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(performance.now() - started).toBeGreaterThanOrEqual(couchTimeoutMs - 50);
    } finally {
      t.proxy.hang(false);
    }
  });
});

describe('unexpected failures', () => {
  it('are masked as INTERNAL_SERVER_ERROR with a correlation id that the log holds too', async () => {
    await t.graphql('{ __typename }');
    t.proxy.answerWhen({ when: ({ url }) => url.includes('/_view/by_identifier'), status: 500, body: { error: 'unknown_error', reason: 'function_clause' } });
    try {
      // A login no cached user holds, so that the lookup asks the (failing) view.
      const response = await t.graphql('{ userByLogin(login: "held-by-nobody") { id } }');
      expect(response.status).toBe(500);
      const extensions = response.errors?.[0]?.extensions;
      expect(extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(response.errors?.[0]?.message).not.toContain('function_clause');
      const logged = logLines.map((line) => JSON.parse(line)).find((entry) => entry.correlationId === extensions?.correlationId);
      expect(logged).toMatchObject({ level: 50, err: expect.objectContaining({ message: 'function_clause' }) });
    } finally {
      t.proxy.answerWhen(null);
    }
  });
});

describe('GraphiQL', () => {
  it('is served from the installed package, with nothing to fetch from elsewhere', async () => {
    const response = await fetch(`${t.gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('YogaGraphiQL');
    // No script, style sheet or font is loaded from another origin.
    const external = [...html.matchAll(/(?:src|href)\s*=\s*["'](https?:)?\/\/[^"']+/gi)].map((match) => match[0]);
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|cdn\.jsdelivr\.net|esm\.sh/);
  });
});
