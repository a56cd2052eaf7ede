import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMain } from './support/processes.js';
import { basic, postGraphQL, startTestGateway, type TestGateway } from './support/test-gateway.js';

describe('GET /metrics', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t?.close());

  it('reports requests, errors by code, operation durations, CouchDB requests and DataLoader batch sizes', async () => {
    await t.graphql('query Everyone { users(first: 5) { totalCount } a: user(id: "x") { id } b: user(id: "y") { id } }');
    await t.graphql('mutation Missing { deleteUser(userId: "nobody") { id } }');
    await t.graphql('{ user(id: "a/b") { id } }');
    const response = await fetch(`${t.gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^graphql_yoga_http_duration_count\{.*\} \d+/m);
    expect(text).toMatch(/^graphql_envelop_phase_execute_count\{.*operationName="Everyone".*\} \d+/m);
    expect(text).toMatch(/^gateway_graphql_errors_total\{code="NOT_FOUND"\} 1$/m);
    expect(text).toMatch(/^gateway_graphql_errors_total\{code="BAD_USER_INPUT"\} 1$/m);
    expect(text).toMatch(/^gateway_couchdb_request_duration_seconds_count\{node="http:\/\/127\.0\.0\.1:\d+",method="POST",status="200"\} \d+/m);
    // user(id: "x") and user(id: "y") went to CouchDB as one batch of two ids.
    expect(text).toMatch(/^gateway_dataloader_batch_size_bucket\{le="2",loader="byId"\} [1-9]/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

describe('graceful shutdown', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'shutdown-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('on SIGTERM finishes the request in flight, refuses new ones, closes the store and exits 0', async () => {
    // A high bcrypt cost makes createUser take a second: long enough to stop the process under it.
    const env = { DATA_DIR: dataDir, ADMIN_PASSWORD: 'shutdown-admin-password', BCRYPT_ROUNDS: '12', LOG_LEVEL: 'info' };
    const gateway = await startMain(env);
    await gateway.ready();
    const admin = basic('admin', 'shutdown-admin-password');
    await postGraphQL(gateway.url, '{ currentUser { id } }', undefined, admin);
    const inFlight = postGraphQL(gateway.url, 'mutation { createUser(input: { login: "late", password: "late password" }) { login } }', undefined, admin);
    await new Promise((resolve) => setTimeout(resolve, 150));
    gateway.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.data).toEqual({ createUser: { login: 'late' } });
    const finished = await gateway.finished;
    expect(finished.code).toBe(0);
    await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();

    // The store was closed cleanly: the next start finds the user.
    const again = await startMain(env);
    try {
      await again.ready();
      const found = await postGraphQL(again.url, '{ userByLogin(login: "late") { login } }', undefined, admin);
      expect(found.data).toEqual({ userByLogin: { login: 'late' } });
    } finally {
      again.child.kill('SIGTERM');
      expect((await again.finished).code).toBe(0);
    }
  });
});
