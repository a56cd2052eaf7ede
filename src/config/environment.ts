import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0'], { message: 'expected true or false' }).transform((value) => value === 'true' || value === '1');

const port = z.coerce
  .number({ message: 'expected a port number' })
  .int({ message: 'expected a whole port number' })
  .min(0, { message: 'expected a port number from 0 to 65535' })
  .max(65535, { message: 'expected a port number from 0 to 65535' });

const positiveInteger = z.coerce.number({ message: 'expected a number' }).int({ message: 'expected a whole number' }).positive();

const commaSeparated = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** One CouchDB server, or the nodes of one cluster: nano sends the first one's credentials and path to every node. */
const couchNodeUrls = commaSeparated.pipe(
  z
    .array(z.url({ protocol: /^https?$/, message: 'expected http(s) URLs, e.g. http://admin:password@127.0.0.1:5984' }))
    .min(1, { message: 'expected at least one URL' })
    .refine((urls) => new Set(urls.map((url) => new URL(url).origin)).size === urls.length, { message: 'a node is named twice' })
    .refine((urls) => new Set(urls.map(credentialsAndPath)).size === 1, {
      message: 'the nodes of one cluster need the same credentials and path',
    }),
);

function credentialsAndPath(url: string): string {
  const { username, password, pathname } = new URL(url);
  return `${username}:${password}@${pathname.replace(/\/+$/, '')}`;
}

/** Addresses or CIDRs of reverse proxies, or proxy-addr's names (loopback, linklocal, uniquelocal). */
const proxyList = commaSeparated.refine(
  (list) => {
    try {
      proxyaddr.compile(list);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected IP addresses or CIDRs, comma-separated (or loopback, linklocal, uniquelocal)' },
);

/** A CouchDB database name component: CouchDB allows `[a-z][a-z0-9_$()+/-]*`; we refuse `/`. */
export const databaseNameComponent = z
  .string()
  .regex(/^[a-z][a-z0-9_$()+-]*$/, {
    message: 'expected lower-case letters, digits and _$()+- , starting with a letter',
  })
  .max(200);

const BCRYPT_ROUNDS_RANGE = 'expected a whole number from 4 to 31 (the bcrypt cost: each step doubles the time of a hash)';

/** The environment the gateway reads, per the contract's table. */
export const environmentSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  COUCHDB_URL: couchNodeUrls.optional(),
  COUCHDB_TIMEOUT_MS: positiveInteger.default(10_000),
  COUCHDB_MAX_CONNECTIONS: positiveInteger.default(32),
  COUCHDB_MAX_PENDING: positiveInteger.default(1000),
  DATA_DIR: z.string().min(1).default('./data'),
  DB_PREFIX: databaseNameComponent.default('icure'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'expected json or pretty' }).default('json'),
  RESERVATION_GRACE_MS: positiveInteger.default(120_000),
  BCRYPT_ROUNDS: z.coerce
    .number({ message: BCRYPT_ROUNDS_RANGE })
    .int({ message: BCRYPT_ROUNDS_RANGE })
    .min(4, { message: BCRYPT_ROUNDS_RANGE })
    .max(31, { message: BCRYPT_ROUNDS_RANGE })
    .default(10),
  INTROSPECTION: booleanFlag.default(true),
  ADMIN_LOGIN: z.string().min(1).max(320).optional(),
  ADMIN_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).max(1024).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'expected smtp://user:pass@host:587 or smtps://…' }).optional(),
  MAIL_FROM: z.string().min(3).default('no-reply@localhost'),
  AUTH_CACHE_TTL_MS: z.coerce.number({ message: 'expected a number' }).int().min(0).default(60_000),
  AUTH_MAX_FAILURES: positiveInteger.default(10),
  AUTH_MAX_ADDRESS_FAILURES: positiveInteger.default(100),
  AUTH_MAX_IDENTIFIER_FAILURES: positiveInteger.default(50),
  AUTH_FAILURE_WINDOW_MS: positiveInteger.default(300_000),
  CORS_ORIGINS: commaSeparated.default([]),
  TRUSTED_PROXIES: proxyList.default([]),
  MAX_BODY_BYTES: positiveInteger.default(512 * 1024),
  SHUTDOWN_TIMEOUT_MS: positiveInteger.default(10_000),
  PERSISTED_OPERATIONS_ONLY: booleanFlag.default(false),
  PERSISTED_OPERATIONS_FILE: z.string().min(1).default('examples/generated/persisted-documents.json'),
  USER_CACHE_MAX: z.coerce.number({ message: 'expected a number' }).int().min(0).default(100_000),
  FEED_HEARTBEAT_MS: positiveInteger.default(250),
  FEED_MAX_LAG_MS: positiveInteger.default(1_000),
  SUBSCRIPTIONS_MAX: z.coerce.number({ message: 'expected a number' }).int().min(0).default(10_000),
  SUBSCRIPTIONS_PER_CALLER: positiveInteger.default(16),
  USER_EVENTS_WINDOW: positiveInteger.default(10_000),
  SUBSCRIPTION_QUEUE_MAX: positiveInteger.default(1_000),
  SUBSCRIPTION_KEEPALIVE_MS: positiveInteger.default(12_000),
  NODE_ENV: z.string().optional(),
});

export type Environment = z.output<typeof environmentSchema>;

/** The name of a variable the gateway reads. */
export type EnvironmentVariable = keyof typeof environmentSchema.shape;

/** Where CouchDB is: a server given by URL, or the embedded store the gateway starts itself. */
export type CouchLocation = { kind: 'server'; urls: string[] } | { kind: 'embedded'; storage: { kind: 'memory' } | { kind: 'leveldb'; directory: string } };

function couchLocation(e: Environment): CouchLocation {
  return e.COUCHDB_URL ? { kind: 'server', urls: e.COUCHDB_URL } : { kind: 'embedded', storage: { kind: 'leveldb', directory: path.resolve(e.DATA_DIR, 'couchdb') } };
}

/** The environment, validated and turned into the configuration of one gateway process. */
export const configSchema = environmentSchema
  // A feed heard from less often than its lag bound would never count as live.
  .refine((e) => e.FEED_HEARTBEAT_MS < e.FEED_MAX_LAG_MS, {
    path: ['FEED_HEARTBEAT_MS'],
    message: 'must be below FEED_MAX_LAG_MS (CouchDB must be heard from within the staleness bound)',
  })
  .transform((e) => ({
    port: e.PORT,
    host: e.HOST,
    couch: couchLocation(e),
    /** Where the gateway keeps local files (the embedded store, later the mail outbox). */
    dataDir: path.resolve(e.DATA_DIR),
    couchTimeoutMs: e.COUCHDB_TIMEOUT_MS,
    couchMaxConnections: e.COUCHDB_MAX_CONNECTIONS,
    /** CouchDB requests in flight or queued, at most; beyond, requests fail at once with SERVICE_UNAVAILABLE. */
    couchMaxPending: e.COUCHDB_MAX_PENDING,
    dbPrefix: e.DB_PREFIX,
    logLevel: e.LOG_LEVEL,
    /** JSON lines, or human-readable lines for development. */
    logFormat: e.LOG_FORMAT,
    bcryptRounds: e.BCRYPT_ROUNDS,
    /** How long a login/email reservation holds without a user carrying it (a write in progress or a crash). */
    reservationGraceMs: e.RESERVATION_GRACE_MS,
    introspection: e.INTROSPECTION,
    /** The first admin, created at start when the default database has none. */
    admin: { login: e.ADMIN_LOGIN ?? 'admin', password: e.ADMIN_PASSWORD ?? null },
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    auth: {
      /** How long a verified credential is trusted without re-hashing; 0 disables the cache. */
      cacheTtlMs: e.AUTH_CACHE_TTL_MS,
      /** Failures per (identifier, client address) in a window, then that pair is locked. */
      maxFailures: e.AUTH_MAX_FAILURES,
      /** Failures per client address in a window, then its credentials that need verifying are refused. */
      maxAddressFailures: e.AUTH_MAX_ADDRESS_FAILURES,
      /** Failures per identifier from any address in a window, then its credentials that need verifying are refused. */
      maxIdentifierFailures: e.AUTH_MAX_IDENTIFIER_FAILURES,
      failureWindowMs: e.AUTH_FAILURE_WINDOW_MS,
    },
    /** Origins allowed by CORS; empty: no cross-origin access. */
    corsOrigins: e.CORS_ORIGINS,
    /** Peers whose X-Forwarded-For names the client (proxy-addr's rules); empty: the peer is the client. */
    trustedProxies: e.TRUSTED_PROXIES,
    maxBodyBytes: e.MAX_BODY_BYTES,
    /** On SIGTERM, how long in-flight requests may take to finish before their connections are cut. */
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    /** Trusted documents: only operations of this manifest (hash → document) run; null: any operation. */
    persistedOperations: e.PERSISTED_OPERATIONS_ONLY ? { manifestFile: path.resolve(e.PERSISTED_OPERATIONS_FILE) } : null,
    /** The feed-coherent user cache: `maxUsers` 0 turns it off (the change feeds run while subscriptions are on). */
    userCache: { maxUsers: e.USER_CACHE_MAX },
    /** The change feeds: CouchDB's heartbeat period, and the silence past which a feed's cache is not trusted. */
    feed: { heartbeatMs: e.FEED_HEARTBEAT_MS, maxLagMs: e.FEED_MAX_LAG_MS },
    /**
     * GraphQL subscriptions: open streams per instance (`max` 0 turns them off) and per
     * caller; events kept per database for resuming; events queued for one subscriber
     * before it counts as too slow; the SSE keep-alive period.
     */
    subscriptions: {
      max: e.SUBSCRIPTIONS_MAX,
      perCaller: e.SUBSCRIPTIONS_PER_CALLER,
      window: e.USER_EVENTS_WINDOW,
      queueMax: e.SUBSCRIPTION_QUEUE_MAX,
      keepAliveMs: e.SUBSCRIPTION_KEEPALIVE_MS,
    },
    /** NODE_ENV is not `production`: development aids stay on (admins may run any operation in GraphiQL). */
    developmentMode: e.NODE_ENV !== 'production',
  }));

/** Validated, typed configuration of one gateway process: what `configSchema` makes of the environment. */
export type GatewayConfig = z.output<typeof configSchema>;

/** Raised for a bad environment; its message lists every bad variable and why. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Variables whose values may hold credentials: never echoed in errors. */
const SECRET_VARIABLES = new Set(['COUCHDB_URL', 'ADMIN_PASSWORD', 'SMTP_URL']);

/** Reads and validates the gateway's configuration; blank variables count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      const value = SECRET_VARIABLES.has(variable) ? '(hidden)' : JSON.stringify(present[variable]);
      return `  ${variable}=${value}: ${issue.message}`;
    });
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
