import type { StoredUser } from './stored-user.js';

/**
 * A non-revoked ADMIN grant (revokes win over grants, as iCure's permission DTO
 * says): everything within the user's own database.
 */
export function isAdmin(user: Pick<StoredUser, 'permissions'>): boolean {
  const permissions = user.permissions ?? [];
  const granted = permissions.some((permission) => permission.grants?.some((item) => item.type === 'ADMIN'));
  const revoked = permissions.some((permission) => permission.revokes?.some((item) => item.type === 'ADMIN'));
  return granted && !revoked;
}
