import { GatewayError } from '../errors.js';

const CHALLENGE = 'Basic realm="icure-user-gateway", charset="UTF-8"';

/** 401 with a Basic challenge, so browsers and HTTP clients know how to authenticate. */
export function unauthenticated(message = 'Authentication required'): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, { http: { status: 401, headers: { 'WWW-Authenticate': CHALLENGE } } });
}

export function forbidden(message = 'Not allowed', field?: string): GatewayError {
  return new GatewayError('FORBIDDEN', message, field ? { field } : {});
}

/** 429 with `extensions.retryAfter` and a Retry-After header, in seconds. */
export function tooManyRequests(retryAfter: number): GatewayError {
  return new GatewayError('TOO_MANY_REQUESTS', `Too many failed authentications: retry in ${retryAfter} s`, {
    retryAfter,
    http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
  });
}
