import { unauthenticated } from '../errors.js';
import type { StoredUser } from '../users/stored-user.js';

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

/** A non-revoked ADMIN grant (revokes win over grants, as iCure's permission DTO says). */
export function isAdmin(user: Pick<StoredUser, 'permissions'>): boolean {
  const permissions = user.permissions ?? [];
  const granted = permissions.some((permission) => permission.grants?.some((item) => item.type === 'ADMIN'));
  const revoked = permissions.some((permission) => permission.revokes?.some((item) => item.type === 'ADMIN'));
  return granted && !revoked;
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
