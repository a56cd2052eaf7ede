import { GraphQLError } from 'graphql';

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

/**
 * An error a client can act on: a GraphQLError, so yoga does not mask it, with a
 * stable `extensions.code` and the HTTP status yoga should answer with.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}, cause?: unknown) {
    super(message, {
      // `http` is read by yoga for the response status and headers, and not sent.
      extensions: { ...extensions, code, http: { status: errorCodes[code], ...(extensions.http as object | undefined) } },
      ...(cause instanceof Error ? { originalError: cause } : {}),
    });
    this.code = code;
  }
}

/** One invalid argument or input field, as `extensions.issues` lists them. */
export interface InputIssue {
  /** Dotted path of the argument or input field, e.g. `input.email`. */
  field: string;
  message: string;
}

export function badUserInput(issues: InputIssue[]): GatewayError {
  const first = issues[0];
  const message = first
    ? `Invalid argument ${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
    : 'Invalid input';
  return new GatewayError('BAD_USER_INPUT', message, { field: first?.field, issues });
}
