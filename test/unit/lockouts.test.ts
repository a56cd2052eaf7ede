import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../src/auth/failure-limiter.js';
import { Lockouts, type Lockout, type LockoutOptions } from '../../src/auth/lockouts.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('FailureLimiter', () => {
  it('locks a key at its maximum until its window ends, and says so once', () => {
    const clock = manualClock();
    const limiter = new FailureLimiter(3, 60_000, clock.now);
    expect([limiter.recordFailure('k'), limiter.recordFailure('k')]).toEqual([false, false]);
    expect(limiter.retryAfterSeconds('k')).toBe(0);
    clock.advance(10_000);
    expect(limiter.recordFailure('k')).toBe(true);
    // The window started at the first failure: 50 s left.
    expect(limiter.retryAfterSeconds('k')).toBe(50);
    expect(limiter.recordFailure('k')).toBe(false);
    expect(limiter.retryAfterSeconds('other')).toBe(0);
    clock.advance(49_999);
    expect(limiter.retryAfterSeconds('k')).toBe(1);
    clock.advance(1);
    expect(limiter.retryAfterSeconds('k')).toBe(0);
    // A new window: counting starts over.
    expect(limiter.recordFailure('k')).toBe(false);
  });

  it('forgets a key on reset', () => {
    const limiter = new FailureLimiter(2, 60_000, manualClock().now);
    limiter.recordFailure('k');
    limiter.recordFailure('k');
    expect(limiter.retryAfterSeconds('k')).toBeGreaterThan(0);
    limiter.reset('k');
    expect(limiter.retryAfterSeconds('k')).toBe(0);
  });
});

describe('Lockouts', () => {
  function lockouts(overrides: Partial<LockoutOptions> = {}) {
    const clock = manualClock();
    const begun: Lockout[] = [];
    const policy = new Lockouts({
      maxFailures: 10,
      maxAddressFailures: 100,
      maxIdentifierFailures: 50,
      windowMs: 300_000,
      now: clock.now,
      onLockout: (lockout) => begun.push(lockout),
      ...overrides,
    });
    return { policy, clock, begun };
  }
  const a = { identifier: 'alice', address: '10.0.0.1' };

  it('locks an identifier from one address after 10 failures, for the rest of the window, and reports it once', () => {
    const { policy, clock, begun } = lockouts();
    for (let i = 0; i < 9; i++) policy.recordFailure(a);
    expect(policy.pairRefusal(a)).toBeNull();
    policy.recordFailure(a);
    expect(policy.pairRefusal(a)).toEqual({ scope: 'pair', retryAfterSeconds: 300 });
    expect(begun).toEqual([{ scope: 'pair', identifier: 'alice', address: '10.0.0.1', retryAfterSeconds: 300 }]);
    // Neither the identifier elsewhere nor the address for others.
    expect(policy.pairRefusal({ identifier: 'alice', address: '10.0.0.2' })).toBeNull();
    expect(policy.pairRefusal({ identifier: 'bob', address: '10.0.0.1' })).toBeNull();
    expect(policy.verificationRefusal({ identifier: 'bob', address: '10.0.0.1' })).toBeNull();
    policy.recordFailure(a);
    expect(begun).toHaveLength(1);
    clock.advance(299_000);
    expect(policy.pairRefusal(a)?.retryAfterSeconds).toBe(1);
    clock.advance(1_000);
    expect(policy.pairRefusal(a)).toBeNull();
  });

  it('a success clears its pair only: the address and identifier counts stand', () => {
    const { policy } = lockouts({ maxFailures: 3, maxAddressFailures: 4, maxIdentifierFailures: 4 });
    policy.recordFailure(a);
    policy.recordFailure(a);
    policy.recordSuccess(a);
    policy.recordFailure(a);
    policy.recordFailure(a);
    expect(policy.pairRefusal(a)).toBeNull();
    expect(policy.verificationRefusal(a)?.scope).toBe('address');
    expect(policy.verificationRefusal({ identifier: 'alice', address: '10.0.0.9' })?.scope).toBe('identifier');
  });

  it('throttles an address after 100 failures across identifiers: verification only, never a pair it did not lock', () => {
    const { policy, begun } = lockouts();
    for (let i = 0; i < 100; i++) policy.recordFailure({ identifier: `guess${i}`, address: '10.0.0.1' });
    expect(policy.verificationRefusal({ identifier: 'admin', address: '10.0.0.1' })).toEqual({ scope: 'address', retryAfterSeconds: 300 });
    // A cached credential only meets the pair check.
    expect(policy.pairRefusal({ identifier: 'admin', address: '10.0.0.1' })).toBeNull();
    expect(policy.verificationRefusal({ identifier: 'admin', address: '10.0.0.2' })).toBeNull();
    expect(begun).toEqual([{ scope: 'address', identifier: 'guess99', address: '10.0.0.1', retryAfterSeconds: 300 }]);
  });

  it('throttles the verification of an identifier guessed at from many addresses', () => {
    const { policy, begun } = lockouts();
    for (let i = 0; i < 50; i++) policy.recordFailure({ identifier: 'alice', address: `10.0.${i % 10}.1` });
    expect(policy.verificationRefusal({ identifier: 'alice', address: '10.9.9.9' })).toEqual({ scope: 'identifier', retryAfterSeconds: 300 });
    expect(policy.pairRefusal({ identifier: 'alice', address: '10.9.9.9' })).toBeNull();
    expect(policy.verificationRefusal({ identifier: 'bob', address: '10.0.0.1' })).toBeNull();
    // Five failures per address: no pair locked; one identifier lockout.
    expect(begun.map((lockout) => lockout.scope)).toEqual(['identifier']);
  });

  it('counts unreadable credentials against their address only', () => {
    const { policy } = lockouts({ maxAddressFailures: 2 });
    const unreadable = { identifier: null, address: '10.0.0.1' };
    policy.recordFailure(unreadable);
    expect(policy.pairRefusal(unreadable)).toBeNull();
    policy.recordFailure(unreadable);
    expect(policy.verificationRefusal(a)?.scope).toBe('address');
  });
});
