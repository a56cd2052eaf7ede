import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { GatewayConfig } from '../../src/config/environment.js';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server.js';
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
    dbPrefix: uniquePrefix(),
    logLevel: 'silent',
    bcryptRounds: 4,
    reservationGraceMs: 120_000,
    introspection: true,
    ...overrides,
  };
}

/**
 * Until authentication lands, the tests say who calls with this header, read by
 * the context factory of the test gateway only: `<id>` or `<groupId>/<id>`.
 */
export const TEST_USER_HEADER = 'x-test-user';

export function asUser(id: string, groupId?: string): Record<string, string> {
  return { [TEST_USER_HEADER]: groupId ? `${groupId}/${id}` : id };
}

const identifyFromTestHeader: GatewayOptions['identify'] = (request) => {
  const value = request.headers.get(TEST_USER_HEADER);
  if (!value) return null;
  const [groupId, id] = value.includes('/') ? value.split('/', 2) : [null, value];
  return { id: id!, groupId: groupId ?? null };
};

export async function startTestGateway(overrides: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const couch = await startTestCouch();
  const admin = new CouchAdmin(couch.url);
  const proxy = await startCountingProxy(couch.url);
  const config = testConfig(proxy.url, overrides);
  const gateway = await startGateway(config, pino({ level: 'silent' }), { identify: identifyFromTestHeader });
  await waitUntilReady(gateway.url);
  const prefix = config.dbPrefix;
  return {
    gateway,
    couch,
    admin,
    proxy,
    prefix,
    db: `${prefix}-base`,
    graphql: (query, variables, headers) => postGraphQL(gateway.url, query, variables, headers),
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

/** Polls `/ready` until the gateway has built its indexes. */
export async function waitUntilReady(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${baseUrl}/ready`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${baseUrl} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
