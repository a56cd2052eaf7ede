import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { CallerContext } from '../auth/caller-confirmation.js';
import type { UserDatabases } from '../couch/databases.js';
import type { EventStreamIds } from '../http/sse-event-ids.js';
import type { Mailer } from '../mail/mailer.js';
import { PasswordResets } from '../users/password-resets.js';
import type { StoredUser } from '../users/stored-user.js';
import type { UserCache } from '../users/user-cache.js';
import type { UserEvents } from '../users/user-events.js';
import { UserLoaders, type BatchObserver, type DatabaseUserLoaders } from '../users/user-loaders.js';
import { UserWrites, type UserWriteOptions } from '../users/user-writes.js';

/** What every resolver of one request receives. */
export interface GatewayContext extends CallerContext {
  /** Whether the request's credential still authenticates as this newer document of the caller (false when anonymous). Call it as a method. */
  credentialVerifies(this: GatewayContext, user: StoredUser): boolean;
  /** Per-request DataLoaders of any database, by group. */
  users: UserLoaders;
  /** Loaders of the database a `groupId` argument designates: the caller's own when absent. */
  loaders(this: GatewayContext, groupId?: string | null): DatabaseUserLoaders;
  /** Writes to the database a `groupId` argument designates: the caller's own when absent. */
  writes(this: GatewayContext, groupId?: string | null): UserWrites;
  /** Password resets of the default database. */
  passwordResets(this: GatewayContext): PasswordResets;
  /** Cost of new password hashes. */
  bcryptRounds: number;
  /** For work that outlives the response (mails). */
  logger: Logger;
  /** Live user changes for subscriptions; null when they are off. */
  userEvents: UserEvents | null;
  /** Only on requests that accept `text/event-stream`: the client's Last-Event-ID, and the id of the event being sent. */
  sse?: EventStreamIds;
}

/** What the gateway's services give every request. */
export interface ContextServices {
  databases: UserDatabases;
  authenticator: Authenticator;
  writeOptions: UserWriteOptions;
  mailer: Mailer;
  logger: Logger;
  /** Told of every DataLoader batch that goes to CouchDB (metrics). */
  observeBatch?: BatchObserver;
  /** The feed-coherent user cache, or null when it is off. */
  userCache: UserCache | null;
  /** Live user changes for subscriptions, or null when they are off. */
  userEvents: UserEvents | null;
}

/** What a request brings to its context: its `Authorization` header and the client's address (for lockouts). */
export interface RequestOrigin {
  authorization: string | null;
  clientAddress: string;
}

/**
 * The request-context factory: authenticates the request (401/429 are thrown from
 * here), then gives it fresh loaders and writes aimed at the caller's own database
 * unless a `groupId` argument says otherwise.
 */
export function createContextFactory(services: ContextServices): (request: RequestOrigin) => Promise<GatewayContext> {
  const { databases, authenticator, writeOptions, mailer, logger, observeBatch, userCache, userEvents } = services;
  // Shared by every request (no closures per request: a subscription keeps its context as long as it lasts).
  // Few properties, too: yoga merges them into its own context object, which past about 20 turns into a dictionary.
  const methods = requestMethods(writeOptions, mailer);
  return async ({ authorization, clientAddress }) => {
    const users = new UserLoaders(databases, observeBatch, userCache);
    const authentication = await authenticator.authenticate(authorization, clientAddress, users);
    const context: GatewayContext & RequestState = {
      caller: authentication?.caller ?? null,
      callerConfirmation: authentication?.confirmation ?? null,
      authentication,
      users,
      bcryptRounds: writeOptions.bcryptRounds,
      logger,
      userEvents,
      ...methods,
    };
    return context;
  };
}

/** What the shared methods read of their request. */
interface RequestState {
  authentication: { stillVerifies(user: StoredUser): boolean } | null;
}

type RequestMethods = Pick<GatewayContext, 'credentialVerifies' | 'loaders' | 'writes' | 'passwordResets'>;

function requestMethods(writeOptions: UserWriteOptions, mailer: Mailer): RequestMethods {
  return {
    credentialVerifies(this: GatewayContext & RequestState, user) {
      return this.authentication?.stillVerifies(user) ?? false;
    },
    // Without a groupId argument, a caller works in its own database (a confirmation may replace the caller, never its group).
    loaders(this: GatewayContext, groupId) {
      return this.users.of(groupId ?? this.caller?.groupId ?? null);
    },
    writes(this: GatewayContext, groupId) {
      return new UserWrites(this.users.of(groupId ?? this.caller?.groupId ?? null), writeOptions);
    },
    passwordResets(this: GatewayContext & RequestState) {
      return new PasswordResets(this.users.of(null), new UserWrites(this.users.of(null), writeOptions), mailer);
    },
  };
}
