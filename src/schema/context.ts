import type { UserLoaders } from '../users/user-loaders.js';
import type { UserWrites } from '../users/user-writes.js';

/** Who is calling: a user of the default database or of a group's. */
export interface CurrentUser {
  id: string;
  groupId: string | null;
}

/** What every resolver of one request receives. */
export interface GatewayContext {
  /** Per-request DataLoaders, one set per database touched. */
  users: UserLoaders;
  /** Writes to a group's database, or to the default one. */
  writes(groupId?: string | null): UserWrites;
  /** The authenticated caller, or null. */
  currentUser: CurrentUser | null;
  /** Cost of new password hashes. */
  bcryptRounds: number;
}
