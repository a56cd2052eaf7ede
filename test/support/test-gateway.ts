import pino, { type Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { GatewayConfig } from '../../src/config/environment.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './test-couch.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { TEST_ADMIN, testConfig, uniquePrefix } from './test-config.js';

export interface GraphQLResponse<Data = any> {
  status: number;
  data?: Data;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** A real gateway over HTTP, talking to a real CouchDB-compatible server through a counting proxy. */
export interface TestGateway {
  gateway: Gateway;
  couch: TestCouch;
  admin: CouchAdmin;
  proxy: CountingProxy;
  prefix: string;
  /** The default database, `<prefix>-base`. */
  db: string;
  /** A GraphQL request; as the test admin unless other headers are given (`{}`: anonymous). */
  graphql<Data = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<Data>>;
  /** CouchDB requests recorded since the last reset, as `METHOD path` without the query string. */
  couchRequests(): string[];
  close(): Promise<void>;
}

/** The test CouchDB of a test file, and fresh database prefixes whose databases are deleted after it. */
export interface FileCouch {
  couch: TestCouch;
  admin: CouchAdmin;
  newPrefix(): string;
}

/** Starts the test CouchDB before the file's tests and cleans up after them. */
export function useTestCouch(): FileCouch {
  const prefixes: string[] = [];
  const file = {
    newPrefix() {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return prefix;
    },
  } as FileCouch;
  beforeAll(async () => {
    file.couch = await startTestCouch();
    file.admin = new CouchAdmin(file.couch.url);
  });
  afterAll(async () => {
    for (const db of await file.admin.databases()) if (prefixes.some((prefix) => db.startsWith(`${prefix}-`))) await file.admin.deleteDatabase(db);
    await file.couch.close();
  });
  return file;
}

/** `Authorization: Basic` for an identifier (id, login, email, optionally `groupId/…`) and a password or token. */
export function basic(identifier: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${identifier}:${secret}`).toString('base64')}` };
}

export const ADMIN_HEADERS = basic(TEST_ADMIN.login, TEST_ADMIN.password);

export async function startTestGateway(overrides: Partial<GatewayConfig> = {}, logger: Logger = pino({ level: 'silent' })): Promise<TestGateway> {
  const couch = await startTestCouch();
  const admin = new CouchAdmin(couch.url);
  const proxy = await startCountingProxy(couch.url);
  const config = testConfig(proxy.url, overrides);
  const gateway = await startGateway(config, logger);
  await gateway.ready;
  // As a load balancer sees it. This also opens the keep-alive connection that later
  // probes reuse (the burst test's /health would otherwise queue behind 256 new connections).
  const ready = await fetch(`${gateway.url}/ready`);
  if (ready.status !== 200) throw new Error(`/ready answered ${ready.status} once the gateway was ready: ${await ready.text()}`);
  await waitUntilReady(gateway.url);
  const prefix = config.dbPrefix;
  return {
    gateway,
    couch,
    admin,
    proxy,
    prefix,
    db: `${prefix}-base`,
    graphql: (query, variables, headers = ADMIN_HEADERS) => postGraphQL(gateway.url, query, variables, headers),
    couchRequests: () => proxy.requests.map((request) => `${request.method} ${request.url.split('?')[0]}`),
    async close() {
      await gateway.close();
      for (const db of await admin.databases()) {
        if (db.startsWith(`${prefix}-`)) await admin.deleteDatabase(db);
      }
      await proxy.close();
      await couch.close();
    },
  };
}

export async function postGraphQL<Data = any>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...(await response.json()) };
}

/** Polls `/ready` until the gateway has built its indexes and its change feeds (if any) are live. */
export async function waitUntilReady(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/ready`);
    const body = (await response.json().catch(() => ({}))) as { feeds?: { live: boolean }[] };
    if (response.status === 200 && (body.feeds ?? []).every((feed) => feed.live)) return;
    if (Date.now() > deadline) throw new Error(`${baseUrl} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
