import { setTimeout as sleep } from 'node:timers/promises';
import { hasErrorCode, storeUnavailable } from '../errors.js';

/** CouchDB's answer to one request: its status and parsed JSON body. */
export interface CouchAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: CouchDB's JSON, read field by field where the status says what it holds
  body: any;
}

/** What nano attaches to an error from a CouchDB response; network failures carry none of it. */
interface CouchResponseError extends Error {
  statusCode?: number;
  error?: string;
  reason?: string;
}

/** An unexpected answer of CouchDB to a request made without nano, shaped as nano's errors are. */
export class CouchAnswerError extends Error implements CouchResponseError {
  override name = 'CouchAnswerError';
  readonly statusCode: number;
  readonly error?: string;
  readonly reason?: string;

  constructor({ status, body }: CouchAnswer) {
    super(`CouchDB answered ${status}${body?.reason ? `: ${body.reason}` : ''}`);
    this.statusCode = status;
    this.error = body?.error;
    this.reason = body?.reason;
  }
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
 * What a cluster node answers with a 500 while another node is down or unreachable,
 * e.g. `{"error":"nodedown","reason":"progress not possible"}` for a view read right
 * after a node died: the request may succeed when asked again.
 */
const CLUSTER_TRANSIENT_ERRORS = new Set(['nodedown', 'rexi_DOWN', 'rexi_EXIT', 'timeout']);

/**
 * Runs one CouchDB call and turns a failure to reach CouchDB (refused, reset,
 * timed out, too many requests under way, 502–504, a cluster's node down) into
 * SERVICE_UNAVAILABLE. Other CouchDB errors are rethrown as they are, for the caller
 * to interpret or for yoga to mask.
 */
export async function callCouch<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = couchStatus(error);
    if (status === undefined || status === 502 || status === 503 || status === 504 || isClusterTransient(error)) {
      throw storeUnavailable(error);
    }
    throw error;
  }
}

/** How long a cluster takes to route around a node that just died, before a read is asked again. */
const CLUSTER_SETTLE_MS = 100;

/**
 * `callCouch` for a read (safe to ask twice): a cluster's transient answer is asked
 * once more after a short pause, by which the cluster has noticed the lost node and
 * reads from the other copies.
 */
export function readCouch<T>(call: () => Promise<T>): Promise<T> {
  return callCouch(() =>
    call().catch(async (error: unknown) => {
      if (!isClusterTransient(error)) throw error;
      await sleep(CLUSTER_SETTLE_MS);
      return call();
    }),
  );
}

function isClusterTransient(error: unknown): boolean {
  return couchStatus(error) === 500 && CLUSTER_TRANSIENT_ERRORS.has(String((error as CouchResponseError).error));
}

/**
 * Why preparing CouchDB failed, for the start-up error: which store (`CouchDB (COUCHDB_URL)`),
 * where it was looked for (host and port of each node, never the URL's credentials) and what the
 * connection said, e.g. `connect ECONNREFUSED 127.0.0.1:5984`.
 */
export function startupFailure(store: string, urls: string[], error: unknown): Error {
  const where = urls
    .map((url) => {
      const { protocol, hostname, port } = new URL(url);
      return `${hostname}:${port || (protocol === 'https:' ? 443 : 80)}`;
    })
    .join(', ');
  let reason = error instanceof Error ? error.message : String(error);
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause ?? (cause as { originalError?: unknown }).originalError) {
    // nano keeps only the text of a network failure: "error happened in your connection. Reason: Error: connect ECONNREFUSED …".
    const network = /Reason: (?:\w*Error: )?(.+)$/.exec(cause.message)?.[1];
    if (network) reason = network;
  }
  return new Error(`Could not prepare the user database on ${store} at ${where}: ${reason}`, { cause: error });
}

/** True for the SERVICE_UNAVAILABLE of `callCouch`: CouchDB did not answer, or not in time. */
export function isUnavailable(error: unknown): boolean {
  return hasErrorCode(error, 'SERVICE_UNAVAILABLE');
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
