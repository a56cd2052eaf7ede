import type { Logger } from 'pino';
import type { Caller } from '../auth/caller.js';
import type { PasswordResets } from '../users/password-resets.js';
import type { DatabaseUserLoaders, UserLoaders } from '../users/user-loaders.js';
import type { UserWrites } from '../users/user-writes.js';

/** What every resolver of one request receives. */
export interface GatewayContext {
  /** The authenticated caller, or null (anonymous); until `callerConfirmation` settles, as last verified. */
  caller: Caller | null;
  /** Pending while `caller` is the one a recently verified credential remembers: see useCallerConfirmation. */
  callerConfirmation: Promise<Caller> | null;
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
}
