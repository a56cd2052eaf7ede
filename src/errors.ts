import { GraphQLError } from 'graphql';

// The error catalogue: every error a client can get, with its code, its HTTP status
// and what its `extensions` carry. It imports nothing of the gateway, so every layer
// may raise these errors.

/** The contract's error codes, each with the HTTP status it implies. */
export const errorCodes = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  TOO_MANY_REQUESTS: 429,
  /** A subscription's cursor can no longer be resumed (beyond the event window, or from another instance): query again. */
  STALE_CURSOR: 410,
  /** A subscriber fell too far behind its events; it may resume from its last cursor. */
  SLOW_CONSUMER: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One invalid argument or input field, as `extensions.issues` lists them. */
export interface InputIssue {
  /** Dotted path of the argument or input field, e.g. `input.email`. */
  field: string;
  message: string;
}

/** What `extensions` carries besides `code`, per code. */
export interface ErrorExtensions {
  BAD_USER_INPUT: { field?: string; issues?: InputIssue[]; persistedQuery?: 'NOT_FOUND' | 'REQUIRED' };
  UNAUTHENTICATED: Record<never, never>;
  /** `field`: the input field the caller may not set. */
  FORBIDDEN: { field?: string };
  /** `field`: the argument naming the missing user. */
  NOT_FOUND: { field: string };
  /** `field`: the stale revision's argument. */
  CONFLICT: { field: string };
  /** `field`: the input field whose value is taken. */
  ALREADY_EXISTS: { field: string };
  /** `retryAfter` seconds after failed authentications; `limit`: the subscriptions a caller or an instance may hold open. */
  TOO_MANY_REQUESTS: { retryAfter: number } | { limit: number };
  /** `field`: the argument holding the cursor (a `Last-Event-ID` header counts as `after`). */
  STALE_CURSOR: { field: string };
  /** `cursor`: where to resume, events since included. */
  SLOW_CONSUMER: { cursor: string };
  /** `cursor`: where a subscription ended by a shutting-down instance resumes (on another one, within its window). */
  SERVICE_UNAVAILABLE: { cursor?: string };
  INTERNAL_SERVER_ERROR: { correlationId: string };
}

/** Read by yoga for the response's status and headers, and not sent. */
interface HttpExtension {
  http?: { status?: number; headers?: Record<string, string> };
}

type Details<C extends ErrorCode> = ErrorExtensions[C] & HttpExtension;
/** The extensions may be left out where a code requires none. */
type DetailArguments<C extends ErrorCode> =
  Record<never, never> extends ErrorExtensions[C] ? [extensions?: Details<C>, cause?: unknown] : [extensions: Details<C>, cause?: unknown];

/**
 * An error a client can act on: a GraphQLError, so yoga does not mask it, with a
 * stable `extensions.code` and the HTTP status yoga should answer with.
 */
export class GatewayError<C extends ErrorCode = ErrorCode> extends GraphQLError {
  readonly code: C;

  constructor(code: C, message: string, ...[extensions, cause]: DetailArguments<C>) {
    const details: HttpExtension = extensions ?? {};
    super(message, {
      extensions: { ...details, code, http: { status: errorCodes[code], ...details.http } },
      ...(cause instanceof Error ? { originalError: cause } : {}),
    });
    this.code = code;
  }
}

/** Whether `error` is the contract's error with this code. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is GatewayError {
  return error instanceof GatewayError && error.code === code;
}

// BAD_USER_INPUT

export function badUserInput(issues: InputIssue[]): GatewayError<'BAD_USER_INPUT'> {
  const first = issues[0];
  const message = first ? `Invalid argument ${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : 'Invalid input';
  return new GatewayError('BAD_USER_INPUT', message, { field: first?.field, issues });
}

/** An operation over the complexity, depth or breadth limit. */
export function queryTooLarge(measure: 'complexity' | 'depth' | 'breadth', size: number, limit: number | undefined): GatewayError<'BAD_USER_INPUT'> {
  return new GatewayError('BAD_USER_INPUT', `Query too large: its ${measure} ${size} exceeds ${limit}`, { field: measure });
}

/** iCure refuses a user with none of login, email and mobile phone. */
export function missingContactIdentifier(): GatewayError<'BAD_USER_INPUT'> {
  return new GatewayError('BAD_USER_INPUT', 'A user needs at least one of login, email and mobilePhone', {
    field: 'input',
    issues: [{ field: 'input', message: 'at least one of login, email and mobilePhone is required' }],
  });
}

/** A wrong, used or expired password reset code: one and the same answer. */
export function invalidPasswordReset(): GatewayError<'BAD_USER_INPUT'> {
  return new GatewayError('BAD_USER_INPUT', 'This password reset is not valid: ask for a new one', { field: 'token' });
}

/** With trusted documents only: an unknown hash (NOT_FOUND) or a document sent as text (REQUIRED). */
export function untrustedOperation(message: string, persistedQuery: 'NOT_FOUND' | 'REQUIRED'): GatewayError<'BAD_USER_INPUT'> {
  return new GatewayError('BAD_USER_INPUT', message, { persistedQuery });
}

// UNAUTHENTICATED, FORBIDDEN, TOO_MANY_REQUESTS

const REALM = 'realm="icure-user-gateway", charset="UTF-8"';

/** The challenge of a 401: authenticate with Basic. */
export const BASIC_CHALLENGE = `Basic ${REALM}`;

/**
 * The same challenge under a scheme no browser handles itself, for a page's script:
 * on `Basic`, Chromium and Firefox open their own sign-in dialog instead of handing
 * the 401 to the page (see `src/http/browser-challenge.ts`).
 */
export const SCRIPT_CHALLENGE = `X-Basic ${REALM}`;

/** How to authenticate, for a request that brought no credentials. */
const HOW_TO_AUTHENTICATE =
  'Authentication required: send the header Authorization: Basic base64(login:password) (in GraphiQL, under Headers: {"Authorization": "Basic …"})';

/** 401 with a Basic challenge, so browsers and HTTP clients know how to authenticate. */
export function unauthenticated(message = HOW_TO_AUTHENTICATE): GatewayError<'UNAUTHENTICATED'> {
  return new GatewayError('UNAUTHENTICATED', message, { http: { status: 401, headers: { 'WWW-Authenticate': BASIC_CHALLENGE } } });
}

export function forbidden(message = 'Not allowed', field?: string): GatewayError<'FORBIDDEN'> {
  return new GatewayError('FORBIDDEN', message, field ? { field } : {});
}

/** 429 with `extensions.retryAfter` and a Retry-After header, in seconds. */
export function tooManyRequests(retryAfter: number): GatewayError<'TOO_MANY_REQUESTS'> {
  return new GatewayError('TOO_MANY_REQUESTS', `Too many failed authentications: retry in ${retryAfter} s`, {
    retryAfter,
    http: { status: 429, headers: { 'Retry-After': String(retryAfter) } },
  });
}

/** An instance or a caller holds as many subscriptions open as it may. */
export function tooManySubscriptions(message: string, limit: number): GatewayError<'TOO_MANY_REQUESTS'> {
  return new GatewayError('TOO_MANY_REQUESTS', message, { limit });
}

// NOT_FOUND, CONFLICT, ALREADY_EXISTS

export function userNotFound(field: string, id: string): GatewayError<'NOT_FOUND'> {
  return new GatewayError('NOT_FOUND', `No user ${JSON.stringify(id)}`, { field });
}

export function staleRevision(field: string): GatewayError<'CONFLICT'> {
  return new GatewayError('CONFLICT', 'The user was changed meanwhile: read it again and retry with its current rev', { field });
}

/** A login or an email a live user holds already. */
export function identifierTaken(kind: string, value: string, field: string): GatewayError<'ALREADY_EXISTS'> {
  return new GatewayError('ALREADY_EXISTS', `A user with ${kind} ${JSON.stringify(value)} already exists`, { field });
}

export function documentIdTaken(id: string, field: string): GatewayError<'ALREADY_EXISTS'> {
  return new GatewayError('ALREADY_EXISTS', `A document with id ${JSON.stringify(id)} already exists`, { field });
}

/** A group argument naming a group that has no database. */
export function groupNotFound(groupId: string, field = 'groupId'): GatewayError<'NOT_FOUND'> {
  return new GatewayError('NOT_FOUND', `Group ${JSON.stringify(groupId)} has no database`, { field });
}

// STALE_CURSOR, SLOW_CONSUMER (subscriptions)

/** A cursor this instance cannot resume: older than its window of events, of another instance or of a restarted one. */
export function staleCursor(window: number, field = 'after'): GatewayError<'STALE_CURSOR'> {
  return new GatewayError(
    'STALE_CURSOR',
    `This cursor cannot be resumed here (older than the last ${window} changes of the database, or from another instance): query the users again, then subscribe without a cursor`,
    { field },
  );
}

/** A subscriber whose events piled up unread: it resumes from `cursor`. */
export function slowConsumer(cursor: string): GatewayError<'SLOW_CONSUMER'> {
  return new GatewayError('SLOW_CONSUMER', 'Events came faster than this subscriber read them: subscribe again after your last cursor', { cursor });
}

// SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR

/** Subscriptions are turned off (SUBSCRIPTIONS_MAX=0). */
export function subscriptionsOff(): GatewayError<'SERVICE_UNAVAILABLE'> {
  return new GatewayError('SERVICE_UNAVAILABLE', 'Subscriptions are turned off on this instance');
}

/** An instance that is shutting down ends its subscriptions: each resumes elsewhere after its cursor. */
export function shuttingDown(cursor: string | null): GatewayError<'SERVICE_UNAVAILABLE'> {
  return new GatewayError('SERVICE_UNAVAILABLE', 'This gateway instance is shutting down: subscribe again (after your last cursor)', cursor ? { cursor } : {});
}

/** CouchDB refused the connection, reset it, timed out, is overloaded, or answered 502–504. */
export function storeUnavailable(cause: unknown): GatewayError<'SERVICE_UNAVAILABLE'> {
  return new GatewayError('SERVICE_UNAVAILABLE', 'The user store (CouchDB) is unreachable, overloaded or did not answer in time', {}, cause);
}

/** Anything outside the contract, masked: the log holds the original under the same id. */
export function internalError(correlationId: string): GatewayError<'INTERNAL_SERVER_ERROR'> {
  return new GatewayError('INTERNAL_SERVER_ERROR', `Internal server error (correlation id ${correlationId})`, { correlationId });
}
