import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type EnvironmentVariable, type GatewayConfig } from '../../src/config/environment.js';

/** A database prefix of its own per test gateway, so runs against one CouchDB do not meet. */
export function uniquePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** The admin every test gateway creates at start in its default database. */
export const TEST_ADMIN = { login: 'admin', password: 'admin-password-for-tests' };

/** Where tests differ from the defaults: fast hashes, short timeouts, quiet logs, a known admin. */
const TEST_ENVIRONMENT: Partial<Record<EnvironmentVariable, string>> = {
  PORT: '0',
  // Shared by the tests that do not look at it: mails of password resets land in its outbox.
  DATA_DIR: path.join(tmpdir(), 'icure-user-gateway-tests'),
  COUCHDB_TIMEOUT_MS: '2000',
  COUCHDB_MAX_CONNECTIONS: '16',
  LOG_LEVEL: 'silent',
  BCRYPT_ROUNDS: '4',
  ADMIN_LOGIN: TEST_ADMIN.login,
  ADMIN_PASSWORD: TEST_ADMIN.password,
  MAIL_FROM: 'gateway@example.org',
  SHUTDOWN_TIMEOUT_MS: '2000',
  // Subscriptions: fewer, a smaller window and queue, and a keep-alive short enough for tests to see.
  SUBSCRIPTIONS_MAX: '1000',
  USER_EVENTS_WINDOW: '1000',
  SUBSCRIPTION_QUEUE_MAX: '100',
  SUBSCRIPTION_KEEPALIVE_MS: '300',
};

/**
 * The configuration the gateway would read from the test environment (never the
 * process's own), then `overrides`; `couchUrls`: one CouchDB, or the nodes of a cluster.
 */
export function testConfig(couchUrls: string | string[], overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return { ...loadConfig({ ...TEST_ENVIRONMENT, COUCHDB_URL: [couchUrls].flat().join(','), DB_PREFIX: uniquePrefix() }), ...overrides };
}

/** The authentication settings of test gateways: the defaults. */
export const TEST_AUTH: GatewayConfig['auth'] = loadConfig(TEST_ENVIRONMENT).auth;

/** The subscription settings of test gateways. */
export const TEST_SUBSCRIPTIONS: GatewayConfig['subscriptions'] = loadConfig(TEST_ENVIRONMENT).subscriptions;

/** No change feeds (no cache, no subscriptions): every read goes to CouchDB, for tests that count its requests. */
export const WITHOUT_FEEDS: Partial<GatewayConfig> = { userCache: { maxUsers: 0 }, subscriptions: { ...TEST_SUBSCRIPTIONS, max: 0 } };
