import type { StoredAuthenticationToken } from './stored-user.js';

/** Validity iCure stores for a token that never expires. */
export const NEVER_EXPIRES = -1;

/**
 * iCure's rule (kraken-common `EqualsUtils.between`): a token is live only while
 * `creationTime < now < creationTime + validity`, bounds excluded; -1 never expires.
 */
export function isTokenLive(token: StoredAuthenticationToken, now: number = Date.now()): boolean {
  const creationTime = token.creationTime ?? 0;
  if (token.validity === NEVER_EXPIRES) return creationTime < now;
  const validityMs = (token.validity ?? 3600) * 1000;
  return creationTime < now && now < creationTime + validityMs;
}
