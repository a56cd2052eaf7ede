import type { Logger } from 'pino';
import type { Caller } from '../auth/caller.js';
import type { EventStreamIds } from '../http/sse-event-ids.js';
import type { StoredUser } from '../users/stored-user.js';
import type { UserEvents } from '../users/user-events.js';
import type { PasswordResets } from '../users/password-resets.js';
import type { DatabaseUserLoaders, UserLoaders } from '../users/user-loaders.js';
import type { UserWrites } from '../users/user-writes.js';

/** What every resolver of one request receives. */
export interface GatewayContext {
  /** The authenticated caller, or null (anonymous); until `callerConfirmation` settles, as last verified. */
  caller: Caller | null;
  /** Pending while `caller` is the one a recently verified credential remembers: see useCallerConfirmation. */
  callerConfirmation: Promise<Caller> | null;
  /** Whether the request's credential still authenticates as this newer document of the caller (false when anonymous). */
  credentialVerifies(user: StoredUser): boolean;
  /** Per-request DataLoaders of any database, by group. */
  users: UserLoaders;
  /** Loaders of the database a `groupId` argument designates: the caller's own when absent. */
  loaders(groupId?: string | null): DatabaseUserLoaders;
  /** Writes to the database a `groupId` argument designates: the caller's own when absent. */
  writes(groupId?: string | null): UserWrites;
  /** Password resets of the default database. */
  passwordResets(): PasswordResets;
  /** Cost of new password hashes. */
  bcryptRounds: number;
  /** For work that outlives the response (mails). */
  logger: Logger;
  /** Live user changes for subscriptions; null when they are off. */
  userEvents: UserEvents | null;
  /** Only on requests that accept `text/event-stream`: the client's Last-Event-ID, and the id of the event being sent. */
  sse?: EventStreamIds;
}
