import { unauthenticated } from '../errors.js';
import type { StoredUser } from '../users/stored-user.js';
import { isAdmin } from '../users/user-permissions.js';

/** An authenticated caller: its user document (read in this request) and its database. */
export interface Caller {
  user: StoredUser;
  /** The group whose database the caller belongs to; null for the default database. */
  groupId: string | null;
  /** Holds a non-revoked ADMIN grant: everything within its own database. */
  isAdmin: boolean;
  /** An admin of the default database: also other groups' databases. */
  isPlatformAdmin: boolean;
}

export function callerOf(user: StoredUser, groupId: string | null): Caller {
  const admin = isAdmin(user);
  return { user, groupId, isAdmin: admin, isPlatformAdmin: admin && groupId === null };
}

/** The caller of a field guarded by `authenticated`; throws 401 should a guard be missing. */
export function requireCaller(context: { caller: Caller | null }): Caller {
  if (!context.caller) throw unauthenticated();
  return context.caller;
}
