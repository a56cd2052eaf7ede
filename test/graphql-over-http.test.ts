import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADERS, startTestGateway, type TestGateway } from './support/test-gateway.js';

/**
 * graphql-http's audit suite of the GraphQL-over-HTTP spec, against the real
 * gateway. A client of this gateway authenticates and sends the CSRF header
 * (`x-graphql-yoga-csrf`, needed by GET operations), so the audit's fetch does too.
 */
describe('GraphQL over HTTP (graphql-http server audits)', () => {
  let t: TestGateway;
  const results: { name: string; status: string; reason?: string }[] = [];
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await mkdir('test-artifacts', { recursive: true });
    await writeFile(path.join('test-artifacts', 'graphql-http-audits.json'), JSON.stringify(results, null, 2));
    await t?.close();
  });

  const audits = serverAudits({
    url: () => `${t.gateway.url}/graphql`,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...ADMIN_HEADERS, 'x-graphql-yoga-csrf': '1' } }),
  });

  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (name, audit) => {
    const result = await audit.fn();
    results.push({ name, status: result.status, ...(result.status === 'ok' ? {} : { reason: result.reason }) });
    if (name.startsWith('MUST')) expect(result.status, result.status === 'ok' ? '' : result.reason).toBe('ok');
  });
});
