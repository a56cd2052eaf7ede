import type { CurrentUser, GatewayContext } from './context.js';
import { GatewayError } from './errors.js';

/** The authenticated caller, or UNAUTHENTICATED (HTTP 401 with a Basic challenge). */
export function requireCurrentUser(context: GatewayContext): CurrentUser {
  if (!context.currentUser) {
    throw new GatewayError('UNAUTHENTICATED', 'Authentication required', {
      http: { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="icure-user-gateway", charset="UTF-8"' } },
    });
  }
  return context.currentUser;
}
