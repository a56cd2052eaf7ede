import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/environment.js';
import { connectCouch } from './couch/connection.js';
import type { UserDatabases } from './couch/databases.js';
import type { CurrentUser, GatewayContext } from './schema/context.js';
import { GatewayError } from './schema/errors.js';
import { schema } from './schema/index.js';
import { UserLoaders } from './users/user-loaders.js';
import { UserWrites } from './users/user-writes.js';

/** A running gateway: its URL and how to stop it. */
export interface Gateway {
  /** e.g. `http://127.0.0.1:4000`; GraphQL is served at `${url}/graphql`. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Starts the gateway: the embedded store when no CouchDB URL is configured, the
 * CouchDB client, the default database with the design document, then HTTP.
 */
export interface GatewayOptions {
  /** Who is calling; until authentication lands only tests provide it. */
  identify?: (request: Request) => CurrentUser | null | Promise<CurrentUser | null>;
}

export async function startGateway(config: GatewayConfig, logger: Logger, options: GatewayOptions = {}): Promise<Gateway> {
  const couch = await connectCouch(config, logger);
  const { databases } = couch;

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    context: async ({ request }) => {
      const users = new UserLoaders(databases);
      const writeOptions = { bcryptRounds: config.bcryptRounds, reservationGraceMs: config.reservationGraceMs };
      return {
        users,
        writes: (groupId) => new UserWrites(users.of(groupId), writeOptions),
        currentUser: (await options.identify?.(request)) ?? null,
        bcryptRounds: config.bcryptRounds,
      };
    },
    graphiql: { title: 'iCure user gateway', defaultQuery: exampleQuery },
    renderGraphiQL,
    landingPage: false,
    logging: yogaLogger(logger),
    maskedErrors: { maskError: (error) => maskError(error, logger) },
    plugins: [readinessCheck(databases), ...(config.introspection ? [] : [useDisableIntrospection()])],
  });

  const server = createServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await yoga.dispose();
      await couch.close();
    },
  };
}

const exampleQuery = `# Users in login order, 10 at a time: pass pageInfo.endCursor as "after" for the next page.
query FirstUsers {
  users(first: 10) {
    totalCount
    edges { cursor node { id login email status healthcarePartyId deletionDate } }
    pageInfo { hasNextPage endCursor }
    nextKeyPair { startKey startKeyDocId }
  }
}
`;

/** `/ready`: 200 when CouchDB answers and the default database is indexed, else 503 with the reason. */
function readinessCheck(databases: UserDatabases): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    check: async () => {
      let reason: string | null;
      try {
        reason = await databases.unreadiness();
      } catch (error) {
        reason = error instanceof GatewayError ? error.message : 'CouchDB answered with an error';
      }
      return reason === null ? true : Response.json({ ready: false, reason }, { status: 503 });
    },
  });
}

/**
 * Errors of the contract (GatewayError) and GraphQL's own (syntax, validation)
 * reach the client; anything else is logged with a correlation id and masked.
 */
function maskError(error: unknown, logger: Logger): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
  const correlationId = randomUUID();
  logger.error({ err: original, correlationId }, 'internal error while executing a GraphQL operation');
  return new GatewayError('INTERNAL_SERVER_ERROR', `Internal server error (correlation id ${correlationId})`, { correlationId });
}

function yogaLogger(logger: Logger) {
  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) logger[level]({ err: first }, first.message);
    else logger[level]({ details: rest.length ? rest : undefined }, String(first));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
