import { LRUCache } from 'lru-cache';

interface Window {
  failures: number;
  startedAt: number;
}

/**
 * Counts failures per key in a fixed window. Past `maxFailures`, the key is
 * locked until its window ends. Counts live in this process (see README: per instance).
 */
export class FailureLimiter {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new LRUCache({ max: 100_000, ttl: windowMs, perf: { now } });
  }

  /** Seconds until the key may try again, or 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const window = this.current(key);
    if (!window || window.failures < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - this.now()) / 1000));
  }

  /** Counts a failure; true when this one locks the key. */
  recordFailure(key: string): boolean {
    const window = this.current(key) ?? { failures: 0, startedAt: this.now() };
    window.failures += 1;
    this.windows.set(key, window, { ttl: Math.max(1, window.startedAt + this.windowMs - this.now()) });
    return window.failures === this.maxFailures;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    return window && window.startedAt + this.windowMs > this.now() ? window : undefined;
  }
}
