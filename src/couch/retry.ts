import { backOff } from 'exponential-backoff';

/** How a CouchDB call is tried again: exponential delays with full jitter, capped. */
export interface RetryPolicy {
  /** Calls at most, the first included. */
  attempts: number;
  /** The first delay's upper bound; each next one doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Within a request: a few quick tries (conflicting writes that a re-read resolves). */
export const REQUEST_RETRIES: RetryPolicy = { attempts: 5, firstDelayMs: 10, maxDelayMs: 200 };

/** In the background (start-up work): until it works or the caller gives up, a try every few seconds at most. */
export const BACKGROUND_RETRIES: RetryPolicy = { attempts: Number.POSITIVE_INFINITY, firstDelayMs: 100, maxDelayMs: 5_000 };

/**
 * Calls `attempt` until it returns, or throws an error that `retryIf` refuses, or
 * the attempts are spent (then its last error is thrown). Every retry of the
 * gateway goes through here: several callers retrying at once spread out instead of
 * hammering CouchDB in step (AWS's "full jitter").
 */
export function retrying<T>(attempt: () => Promise<T>, policy: RetryPolicy, retryIf: (error: unknown, attemptNumber: number) => boolean): Promise<T> {
  return backOff(attempt, {
    numOfAttempts: policy.attempts,
    startingDelay: policy.firstDelayMs,
    maxDelay: policy.maxDelayMs,
    timeMultiple: 2,
    jitter: 'full',
    retry: retryIf,
  });
}
