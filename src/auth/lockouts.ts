import { FailureLimiter } from './failure-limiter.js';

/** What a lockout holds back: one identifier from one client address, a whole address, or one identifier from anywhere. */
export type LockoutScope = 'pair' | 'address' | 'identifier';

/** Who tries to authenticate: the identifier (qualified by its database) and the client address. */
export interface AttemptOrigin {
  /** `groupId/identifier`, or `/identifier` in the default database; null for unreadable credentials. */
  identifier: string | null;
  address: string;
}

/** A lockout as it begins, for the log and the metrics: never a secret. */
export interface Lockout extends AttemptOrigin {
  scope: LockoutScope;
  retryAfterSeconds: number;
}

/** A refusal: what is locked, and for how long. */
export interface Refusal {
  scope: LockoutScope;
  retryAfterSeconds: number;
}

export interface LockoutOptions {
  /** Failures of one identifier from one address, then that pair is locked, even for the right password. */
  maxFailures: number;
  /** Failures from one address, across identifiers, then it may no longer have credentials verified. */
  maxAddressFailures: number;
  /** Failures of one identifier, across addresses, then it may no longer have credentials verified. */
  maxIdentifierFailures: number;
  windowMs: number;
  now?: () => number;
  onLockout?: (lockout: Lockout) => void;
}

/**
 * Brute-force protection on the model of hosted identity services, so that one
 * client's failures never lock other users out:
 * - per (identifier, address) pair, a low limit: past it, that pair gets 429 whatever
 *   it sends (a user's own typos, or a guesser at one account from one place);
 * - per address, across identifiers, a much higher limit that only throttles
 *   verification: a credential verified and cached earlier is never refused by it,
 *   so the others behind one proxy keep working while a guesser there is slowed;
 * - per identifier, across addresses (guessing one account from many places), a
 *   limit that also only throttles verification.
 * A success clears its pair's count only: the other two count attacks, which a
 * successful login elsewhere must not wipe.
 */
export class Lockouts {
  private readonly pairs: FailureLimiter;
  private readonly addresses: FailureLimiter;
  private readonly identifiers: FailureLimiter;

  constructor(private readonly options: LockoutOptions) {
    const now = options.now ?? Date.now;
    this.pairs = new FailureLimiter(options.maxFailures, options.windowMs, now);
    this.addresses = new FailureLimiter(options.maxAddressFailures, options.windowMs, now);
    this.identifiers = new FailureLimiter(options.maxIdentifierFailures, options.windowMs, now);
  }

  /** Checked before anything else: a locked pair is refused even a cached credential. */
  pairRefusal(origin: AttemptOrigin): Refusal | null {
    if (origin.identifier === null) return null;
    return refusal('pair', this.pairs.retryAfterSeconds(pairKey(origin)));
  }

  /** Checked before verifying a credential that is not cached. */
  verificationRefusal(origin: AttemptOrigin): Refusal | null {
    return (
      refusal('address', this.addresses.retryAfterSeconds(origin.address)) ??
      (origin.identifier === null ? null : refusal('identifier', this.identifiers.retryAfterSeconds(origin.identifier)))
    );
  }

  /** A failed authentication: counted for its address, and for its identifier and pair when readable. */
  recordFailure(origin: AttemptOrigin): void {
    this.count(origin, 'address', this.addresses, origin.address);
    if (origin.identifier === null) return;
    this.count(origin, 'identifier', this.identifiers, origin.identifier);
    this.count(origin, 'pair', this.pairs, pairKey(origin));
  }

  recordSuccess(origin: AttemptOrigin): void {
    this.pairs.reset(pairKey(origin));
  }

  private count(origin: AttemptOrigin, scope: LockoutScope, limiter: FailureLimiter, key: string): void {
    if (limiter.recordFailure(key)) {
      this.options.onLockout?.({ ...origin, scope, retryAfterSeconds: limiter.retryAfterSeconds(key) });
    }
  }
}

function pairKey({ identifier, address }: AttemptOrigin): string {
  return `${identifier}\u0000${address}`;
}

function refusal(scope: LockoutScope, retryAfterSeconds: number): Refusal | null {
  return retryAfterSeconds > 0 ? { scope, retryAfterSeconds } : null;
}
