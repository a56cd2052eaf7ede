import { GatewayError } from '../schema/errors.js';

/** What nano attaches to an error from a CouchDB response; network failures carry none of it. */
interface CouchResponseError extends Error {
  statusCode?: number;
  error?: string;
  reason?: string;
}

export function couchStatus(error: unknown): number | undefined {
  return (error as CouchResponseError | null)?.statusCode;
}

/** True when CouchDB answered 404 (missing document or database). */
export function isNotFound(error: unknown): boolean {
  return couchStatus(error) === 404;
}

/** True when CouchDB refused a write for a stale or missing revision. */
export function isConflict(error: unknown): boolean {
  return couchStatus(error) === 409;
}

/**
 * Runs one CouchDB call and turns a failure to reach CouchDB (refused, reset,
 * timed out, too many requests under way, 502–504) into SERVICE_UNAVAILABLE. Other CouchDB errors are rethrown
 * as they are, for the caller to interpret or for yoga to mask.
 */
export async function callCouch<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = couchStatus(error);
    if (status === undefined || status === 502 || status === 503 || status === 504) {
      throw new GatewayError('SERVICE_UNAVAILABLE', 'The user store (CouchDB) is unreachable, overloaded or did not answer in time', {}, error);
    }
    throw error;
  }
}

/** True for the SERVICE_UNAVAILABLE of `callCouch`: CouchDB did not answer, or not in time. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'SERVICE_UNAVAILABLE';
}

/**
 * True when CouchDB was reached but did not answer within the timeout (it may be busy
 * building an index). nano keeps only the message of undici's error.
 */
export function isTimeout(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as Error & { originalError?: unknown }).originalError ?? cause.cause) {
    if (/\b(HeadersTimeoutError|BodyTimeoutError)\b/.test(cause.message)) return true;
  }
  return false;
}
