import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import compression from 'compression';
import { GraphQLError, locatedError, type ExecutionResult, type ValidationContext } from 'graphql';
import { createYoga, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { bootstrapAdmin } from './auth/admin-bootstrap.js';
import { Authenticator } from './auth/authenticator.js';
import { useCallerConfirmation } from './auth/caller-confirmation.js';
import { clientAddressResolver } from './client-address.js';
import type { GatewayConfig } from './config/environment.js';
import { requireWritableDirectory } from './config/writable-directory.js';
import { connectCouch, type CouchConnection } from './couch/connection.js';
import { isUnavailable } from './couch/couch-errors.js';
import { BACKGROUND_RETRIES, retrying } from './couch/retry.js';
import { useBrowserChallenge } from './http/browser-challenge.js';
import { refuseCorsPreflights } from './http/cors-preflight.js';
import { CSRF_HEADER, csrfPrevention } from './http/csrf-prevention.js';
import { errorResponse } from './http/error-response.js';
import { createGraphiQL } from './http/graphiql.js';
import { usePartialSuccessStatus } from './http/partial-success-status.js';
import { useSseEventIds } from './http/sse-event-ids.js';
import { useCompiledQueries } from './schema/compiled-queries.js';
import { useSharedSubscriptionResults } from './schema/shared-subscription-results.js';
import { createContextFactory, type GatewayContext } from './schema/context.js';
import { errorCodes, GatewayError, internalError } from './errors.js';
import { schema } from './schema/index.js';
import { openMailer } from './mail/mailer.js';
import { GatewayMetrics } from './metrics.js';
import { trustedDocuments } from './persisted-operations.js';
import { UserCache } from './users/user-cache.js';
import type { UserEvent } from './users/user-event-log.js';
import { UserEvents } from './users/user-events.js';
import { userViews } from './users/user-views.js';
import { answerProbe, type Readiness } from './probes.js';

/** A running gateway: its URL and how to stop it. */
export interface Gateway {
  /** e.g. `http://127.0.0.1:4000`; GraphQL is served at `${url}/graphql`. */
  readonly url: string;
  readonly server: Server;
  /** The embedded store's URL, for other processes (seeding) while this one holds DATA_DIR; null with COUCHDB_URL. */
  readonly embeddedStoreUrl: string | null;
  /**
   * Settles once the gateway serves: indexes built (however long that takes on a large
   * database) and the first admin in place. Rejects when that failed for good.
   */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

type ServerContext = { req: IncomingMessage; res: ServerResponse; clientAddress: string };

/**
 * Starts the gateway: CouchDB (the embedded store when no URL is configured), the
 * default database with the design document, then HTTP; then, in the background
 * (`ready`), the index build and the first admin. Meanwhile `/health` answers and
 * `/ready` says why not yet.
 */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  // Local directories first: a DATA_DIR that cannot be written stops the start before anything else.
  if (config.couch.kind === 'embedded' && config.couch.storage.kind === 'leveldb') {
    await requireWritableDirectory(
      config.couch.storage.directory,
      `the embedded store keeps its files there, as COUCHDB_URL is unset. Set DATA_DIR (now ${config.dataDir}) to a writable directory, or COUCHDB_URL to a CouchDB server`,
    );
  }
  const mailer = await openMailer({ ...config.mail, dataDir: config.dataDir }, (transport) => metrics.mailFailures.inc({ transport }));
  // Filled by reads and writes, kept coherent by the databases' change feeds; trusted
  // only while a database's feed is live (the databases know, once connected).
  let following: (database: string) => boolean = () => false;
  const userCache = config.userCache.maxUsers > 0 ? new UserCache(config.userCache.maxUsers, (database) => following(database)) : null;
  // Subscriptions are fed by the same feeds: they run when either needs them.
  const subscriptions = config.subscriptions.max > 0;
  let userEvents: UserEvents | null = null;
  const couch = await connectCouch(
    config,
    userViews,
    logger,
    ({ node, method, status, seconds }) => metrics.couchRequests.observe({ node, method, status: String(status) }, seconds),
    userCache || subscriptions
      ? {
          onChanges: (database, rows) => {
            // Events first: what a change did is told by what the cache held before it.
            userEvents?.record(database, rows);
            userCache?.of(database).apply(rows);
          },
          onState: (status, error) => {
            const fields = { database: status.db, state: status.state, node: status.node, reconnects: status.reconnects };
            if (status.state === 'down')
              logger.warn(
                { ...fields, reason: error instanceof Error ? error.message : undefined },
                `change feed of ${status.db} cut; reads go to CouchDB until it is back`,
              );
            else logger.info(fields, `change feed of ${status.db}: ${status.state}`);
          },
        }
      : null,
  );
  following = (database) => couch.databases.isFollowing(database);
  if (subscriptions) {
    const { max, perCaller, window, queueMax } = config.subscriptions;
    userEvents = new UserEvents({ maxSubscriptions: max, perCaller, window, queueMax }, couch.databases, (database, id, rev) =>
      userCache?.of(database).stateBefore(id, rev),
    );
  }
  metrics.observeSubscriptions(() => userEvents?.size ?? 0);
  metrics.observeFeeds(
    () => couch.databases.feedStatuses(),
    () => userCache?.size ?? 0,
  );
  const observeBatch = (loader: string, size: number) => metrics.loaderBatchSize.observe({ loader }, size);
  const { databases } = couch;
  const writeOptions = { bcryptRounds: config.bcryptRounds, reservationGraceMs: config.reservationGraceMs };
  const persisted = config.persistedOperations
    ? await trustedDocuments(config.persistedOperations.manifestFile, config.developmentMode).catch(async (error: unknown) => {
        await couch.close();
        throw error;
      })
    : null;
  const authenticator = new Authenticator({
    ...config.auth,
    bcryptRounds: config.bcryptRounds,
    onLockout: ({ scope, identifier, address, retryAfterSeconds }) => {
      metrics.authLockouts.inc({ scope });
      logger.warn({ scope, identifier, clientAddress: address, retryAfterSeconds }, 'authentication lockout');
    },
  });
  const createContext = createContextFactory({ databases, authenticator, writeOptions, mailer, logger, observeBatch, userCache, userEvents });
  const graphiql = createGraphiQL('/graphql');
  const contract = contractErrorCodes(metrics);

  const yoga = createYoga<ServerContext, GatewayContext>({
    schema,
    context: ({ request, clientAddress }) => createContext({ authorization: request.headers.get('authorization'), clientAddress }),
    graphiql: { title: 'iCure user gateway', defaultQuery: exampleQuery },
    renderGraphiQL: graphiql.render,
    landingPage: false,
    // refuseOversizedBody answers before anything is read, and Node's HTTP parser never
    // reads past Content-Length; yoga's own limit would re-stream every body to count it.
    maxRequestBodySize: false,
    cors: config.corsOrigins.length
      ? { origin: config.corsOrigins, credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', CSRF_HEADER, 'last-event-id'] }
      : false,
    logging: yogaLogger(logger),
    // isDev off: yoga would otherwise add `originalError` (which may quote the request body).
    maskedErrors: { maskError: (error) => maskError(error, logger), isDev: false },
    plugins: [
      graphiql.plugin,
      ...(config.corsOrigins.length ? [] : [refuseCorsPreflights()]),
      csrfPrevention(),
      refuseUnsupportedBodies(),
      useSseEventIds({ keepAliveMs: config.subscriptions.keepAliveMs, formatResult: contract.fix }),
      // An event is executed once for the subscribers that would get the same result: the same caller, document and variables.
      useSharedSubscriptionResults({ sharingKey: callerSharingKey, perEvent: markEventSent }),
      // Before the caller confirmation, which runs (and may rerun) the compiled query.
      useCompiledQueries(),
      useCallerConfirmation(),
      ...(persisted ? [persisted] : []),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      armor(!config.introspection),
      requestLog(logger),
      usePrometheus({
        endpoint: '/metrics',
        registry: metrics.registry,
        // Requests and their duration, operation durations, errors by phase; the other
        // default metrics (a summary, every phase) cost more per request than they tell.
        metrics: {
          graphql_yoga_http_duration: true,
          graphql_envelop_phase_execute: true,
          // Errors of subscription events are counted by gateway_graphql_errors_total as they are sent;
          // the subscribe phase here would hold handlers and arrays for every open subscription.
          graphql_envelop_error_result: ['parse', 'validate', 'context', 'execute'],
          graphql_envelop_request: false,
          graphql_envelop_request_duration: false,
          graphql_envelop_request_time_summary: false,
          graphql_envelop_phase_parse: false,
          graphql_envelop_phase_validate: false,
          graphql_envelop_phase_context: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_deprecated_field: false,
          graphql_envelop_schema_change: false,
        },
      }),
      contract.plugin,
      usePartialSuccessStatus(),
      useBrowserChallenge(),
    ],
  });

  const clientAddress = clientAddressResolver(config.trustedProxies);
  const compress = compressResponses();
  let closing = false;
  let admitted = false;
  const readiness = gatewayReadiness(couch, () => admitted);
  const server = createServer((req, res) => {
    if (answerProbe(req, res, readiness)) return;
    if (refuseOversizedBody(req, res, config.maxBodyBytes)) return;
    compress(req, res, () => void yoga(req, res, { clientAddress: clientAddress(req) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue, so that a burst of connections waits rather than being reset.
    server.listen({ port: config.port, host: config.host, backlog: 4096 }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // The first admin is looked up in a view: after the build. Stopping meanwhile is no failure.
  const ready = (async () => {
    if (!(await databases.indexesBuilt())) return;
    await retrying(
      () => bootstrapAdmin(databases, config.admin, writeOptions, logger),
      BACKGROUND_RETRIES,
      (error) => isUnavailable(error) && !closing,
    );
    admitted = true;
  })().catch((error: unknown) => {
    if (!closing) throw error;
  });
  return {
    url: `http://${host}:${address.port}`,
    server,
    embeddedStoreUrl: couch.embeddedStoreUrl,
    ready,
    /**
     * Stops accepting, ends subscriptions (each with its cursor, to resume elsewhere),
     * lets in-flight requests finish (within `shutdownTimeoutMs`), then closes CouchDB.
     */
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      userEvents?.close();
      server.closeIdleConnections();
      // Connections go idle as their last response ends (the streams just ended included): close them then.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearInterval(idle);
      clearTimeout(deadline);
      await yoga.dispose();
      await couch.close();
    },
  };
}

/** What a subscription event's result depends on of the caller: its database and its document's revision (scopes follow from them). */
function callerSharingKey(args: { contextValue?: unknown }): string | null {
  const caller = (args.contextValue as GatewayContext | undefined)?.caller;
  return caller ? `${caller.groupId ?? ''}\n${caller.user._id}\n${caller.user._rev}` : null;
}

/**
 * A subscription event's cursor as the SSE id of the subscriber about to receive it,
 * as the field's resolver sets it: for each subscriber, also when its result was
 * executed for another.
 */
function markEventSent(event: unknown, contextValue: unknown): void {
  const sse = (contextValue as GatewayContext).sse;
  const cursor = (event as Partial<UserEvent> | null)?.cursor;
  if (sse && typeof cursor === 'string') sse.id = cursor;
}

const exampleQuery = `# Authenticate with an Authorization header (Headers tab), e.g. {"Authorization": "Basic <base64 of login:password>"}.
# Users in login order, 10 at a time: pass pageInfo.endCursor as "after" for the next page.
query FirstUsers {
  users(first: 10) {
    totalCount
    edges { cursor node { id login email status healthcarePartyId deletionDate } }
    pageInfo { hasNextPage endCursor }
    nextKeyPair { startKey startKeyDocId }
  }
}
`;

/**
 * gzip or br as Accept-Encoding asks, for answers of 1 KiB or more (a page of users,
 * GraphiQL's page, introspection, /metrics); smaller ones gain nothing worth the CPU.
 * GraphiQL's assets come compressed already. Event streams are left alone: zlib would
 * hold their events back. A request without Accept-Encoding skips the layer (about
 * 10 µs of a 250 µs `{ __typename }`): its answer is sent as it is anyway.
 */
function compressResponses() {
  const middleware = compression({
    threshold: 1024,
    filter: (req, res) => !String(res.getHeader('content-type')).startsWith('text/event-stream') && compression.filter(req, res),
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void) =>
    req.headers['accept-encoding'] ? middleware(req as Parameters<typeof middleware>[0], res as Parameters<typeof middleware>[1], next) : next();
}

/**
 * Shape limits, checked in validation: a refused document is a 400 with
 * GRAPHQL_VALIDATION_FAILED, before anything runs. Page sizes are counted by the
 * Pothos complexity limit (see the builder), which knows `first`/`last`; armor's
 * cost, blind to arguments, is only a backstop against huge shapes.
 */
function armor(hideSuggestions: boolean): Plugin {
  const report = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)] };
  return EnvelopArmorPlugin({
    // graphql-js's introspection query counts 21 levels here; users { edges { node { properties { typedValue { type } } } } } 6.
    maxDepth: { n: 24, ignoreIntrospection: false, ...report },
    // 100 users by id through aliases in one document is a use the contract names.
    maxAliases: { n: 128, ...report },
    maxTokens: { n: 8000, ...report },
    maxDirectives: { n: 50, ...report },
    costLimit: { maxCost: 5_000_000, ...report },
    blockFieldSuggestion: { enabled: hideSuggestions },
  });
}

/**
 * Bodies larger than the limit are refused before anything reads them; a body
 * without a length (chunked) must declare one, so the limit cannot be dodged.
 */
function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  const declared = req.headers['content-length'];
  const chunked = declared === undefined && req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (declared === undefined || Number(declared) <= maxBytes)) return false;
  const status = chunked ? 411 : 413;
  const message = chunked ? 'A request body needs a Content-Length' : `Request body larger than ${maxBytes} bytes`;
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
  req.socket.destroySoon();
  return true;
}

/**
 * `/ready`'s answer: not ready while CouchDB does not answer, the default database is
 * not indexed yet, or the first admin is not checked yet; either way, which CouchDB
 * nodes answer (one node down of a cluster leaves the gateway ready) and the state of
 * each database's change feed (a feed that is not live only means its reads go to CouchDB).
 */
function gatewayReadiness(couch: CouchConnection, admitted: () => boolean): Readiness {
  return async () => {
    const nodes = couch.nodes();
    let reason: string | null;
    try {
      reason = await couch.databases.unreadiness();
    } catch (error) {
      reason = error instanceof GatewayError ? error.message : 'CouchDB answered with an error';
    }
    return { reason: reason ?? (admitted() ? null : 'checking the first admin'), details: { nodes: await nodes, feeds: couch.databases.feedStatuses() } };
  };
}

/** The body types yoga reads; it answers others with an empty 415, which says nothing to a client. */
const SUPPORTED_BODIES = [
  'application/json',
  'application/graphql-response+json',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

function refuseUnsupportedBodies(): Plugin {
  return {
    onRequest({ request, endResponse }) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      // Without a type, yoga's own answer (400) stands.
      if (request.method !== 'POST' || type === '' || SUPPORTED_BODIES.includes(type)) return;
      endResponse(errorResponse(415, 'BAD_USER_INPUT', `Unsupported Content-Type ${JSON.stringify(type)}: send application/json`));
    },
  };
}

/**
 * Every error a client gets carries one of the contract's codes: GraphQL's and
 * yoga's own (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST, a missing
 * CSRF header…) become BAD_USER_INPUT (FORBIDDEN for a 403), the original kept in
 * `extensions.reason`. Then `gateway_graphql_errors_total{code}` counts them.
 */
function contractErrorCodes(metrics: GatewayMetrics): { fix: (result: ExecutionResult) => ExecutionResult; plugin: Plugin } {
  const fix = (single: ExecutionResult): ExecutionResult => {
    for (const error of single.errors ?? []) {
      const extensions = (error as GraphQLError).extensions as Record<string, unknown> & { http?: { status?: number; spec?: boolean } };
      // Even with isDev off, yoga attaches the JSON parser's error, whose message quotes the
      // body. Without it yoga would answer an application/json client 200, hence `spec` off:
      // the 400 stands for every media type.
      if ('originalError' in extensions) {
        delete extensions.originalError;
        if (extensions.http) extensions.http = { ...extensions.http, spec: false };
      }
      if (!(typeof extensions.code === 'string' && extensions.code in errorCodes)) {
        if (extensions.code !== undefined) extensions.reason = extensions.code;
        extensions.code = extensions.http?.status === 403 ? 'FORBIDDEN' : 'BAD_USER_INPUT';
      }
      metrics.graphqlErrors.inc({ code: extensions.code as string });
    }
    return single;
  };
  return {
    fix,
    plugin: {
      onResultProcess({ result }) {
        // A subscription's results are fixed one by one as the event stream sends them (`useSseEventIds`): no wrapper per stream.
        if (isAsyncIterable(result)) return;
        for (const single of Array.isArray(result) ? result : [result]) if (single && 'errors' in single) fix(single);
      },
    },
  };
}

/** One JSON line per request, with its id (also sent back as `x-request-id`) and client address; never headers or bodies. */
function requestLog(logger: Logger): Plugin<Record<string, unknown>, ServerContext> {
  const started = new WeakMap<Request, { at: number; id: string }>();
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      started.set(request, { at: performance.now(), id: given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID() });
    },
    onResponse({ request, response, serverContext }) {
      const start = started.get(request);
      if (!start) return;
      response.headers.set('x-request-id', start.id);
      logger.info(
        {
          requestId: start.id,
          clientAddress: serverContext.clientAddress,
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          durationMs: Math.round((performance.now() - start.at) * 10) / 10,
        },
        'request',
      );
    },
  };
}

/**
 * Errors of the contract (GatewayError) and GraphQL's own (syntax, validation)
 * reach the client; anything else is logged with a correlation id and masked.
 */
function maskError(error: unknown, logger: Logger): Error {
  if (error instanceof GatewayError) return error;
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
  const correlationId = randomUUID();
  logger.error({ err: original, correlationId }, 'internal error while executing a GraphQL operation');
  // Located where the original was, so that the client (and the status rule) knows which field failed.
  return error instanceof GraphQLError ? locatedError(internalError(correlationId), error.nodes, error.path) : internalError(correlationId);
}

function yogaLogger(logger: Logger) {
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) logger[level]({ err: first }, first.message);
      else logger[level]({ details: rest.length ? rest : undefined }, String(first));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
