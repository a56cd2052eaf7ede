import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ couchTimeoutMs: 1_000 });
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
  it('a CouchDB that is down gives SERVICE_UNAVAILABLE at once, and the gateway recovers by itself', async () => {
    t.proxy.cut(true);
    try {
      const started = Date.now();
      const response = await t.graphql('{ user(id: "u1") { id } }');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(response.status).toBe(503);
      expect(response.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      t.proxy.cut(false);
    }
    expect((await t.graphql('{ user(id: "u1") { id } }')).data).toEqual({ user: { id: 'u1' } });
  });

  it('a CouchDB that is too slow gives SERVICE_UNAVAILABLE within the configured timeout', async () => {
    t.proxy.delay(4_000);
    try {
      const started = Date.now();
      const response = await t.graphql('{ userByLogin(login: "one") { id } }');
      const elapsed = Date.now() - started;
      expect(response.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(3_500);
    } finally {
      t.proxy.delay(0);
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
