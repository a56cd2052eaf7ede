import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { GatewayConfig } from '../../src/config/environment.js';
import { startGateway, type Gateway } from '../../src/server.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './test-couch.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

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

/** A database prefix of its own per test gateway, so runs against one CouchDB do not meet. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function testConfig(couchUrl: string, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    couch: { kind: 'server', url: couchUrl },
    dataDir: '/nonexistent',
    couchTimeoutMs: 2_000,
    couchMaxConnections: 16,
    couchMaxPending: 1000,
    dbPrefix: uniquePrefix(),
    logLevel: 'silent',
    bcryptRounds: 4,
    reservationGraceMs: 120_000,
    introspection: true,
    admin: { ...TEST_ADMIN },
    mail: { smtpUrl: null, from: 'gateway@example.org' },
    auth: { cacheTtlMs: 60_000, maxFailures: 10, failureWindowMs: 300_000 },
    corsOrigins: [],
    maxBodyBytes: 512 * 1024,
    shutdownTimeoutMs: 2_000,
    persistedOperations: null,
    developmentMode: true,
    userCache: { maxUsers: 10_000 },
    feed: { heartbeatMs: 250, maxLagMs: 1_000 },
    subscriptions: { ...TEST_SUBSCRIPTIONS },
    ...overrides,
  };
}

/** Subscription settings of the test gateways: a short keep-alive, so that tests see it. */
export const TEST_SUBSCRIPTIONS: GatewayConfig['subscriptions'] = { max: 1000, perCaller: 16, window: 1000, queueMax: 100, keepAliveMs: 300 };

/** No change feeds (no cache, no subscriptions): every read goes to CouchDB, for tests that count its requests. */
export const WITHOUT_FEEDS: Partial<GatewayConfig> = { userCache: { maxUsers: 0 }, subscriptions: { ...TEST_SUBSCRIPTIONS, max: 0 } };

/** The admin every test gateway creates at start in its default database. */
export const TEST_ADMIN = { login: 'admin', password: 'admin-password-for-tests' };

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
