import { describe, expect, it } from 'vitest';
import { CredentialCache, type Verified } from '../../src/auth/credential-cache.js';
import type { StoredUser } from '../../src/users/stored-user.js';
import { icureUser } from '../support/user-documents.js';

const TTL = 60_000;

/** A clock the test moves by hand. */
function manualClock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const user = (fields: Partial<StoredUser> = {}): StoredUser => ({ ...icureUser({ login: 'jane', ...fields }), _rev: fields._rev ?? '1-a' });
const verified = (matched = 'hash-1', fields: Partial<StoredUser> = {}): Verified => ({ user: user(fields), matched });

describe('CredentialCache', () => {
  it('remembers a verified credential until its time to live has passed, by the injected clock', async () => {
    const clock = manualClock();
    const cache = new CredentialCache(TTL, { now: clock.now });
    await cache.verifyOnce('', 'jane', 'secret', async () => verified());
    clock.advance(TTL - 1);
    expect(cache.lookup('', 'jane', 'secret')?.user.login).toBe('jane');
    clock.advance(2);
    expect(cache.lookup('', 'jane', 'secret')).toBeNull();
  });

  it('never remembers a failure', async () => {
    const cache = new CredentialCache(TTL, { now: manualClock().now });
    expect(await cache.verifyOnce('', 'jane', 'wrong', async () => null)).toBeNull();
    expect(cache.lookup('', 'jane', 'wrong')).toBeNull();
  });

  it('keys entries by database, identifier and secret together', async () => {
    const cache = new CredentialCache(TTL, { now: manualClock().now });
    await cache.verifyOnce('', 'jane', 'secret', async () => verified());
    expect(cache.lookup('g1', 'jane', 'secret')).toBeNull();
    expect(cache.lookup('', 'jane@example.org', 'secret')).toBeNull();
    expect(cache.lookup('', 'jane', 'secret2')).toBeNull();
    // The separator cannot be forged by moving characters between the parts.
    expect(cache.lookup('', 'jane\u0000secret', '')).toBeNull();
  });

  it('shares one verification among concurrent requests with the same credential, and not with others', async () => {
    const cache = new CredentialCache(TTL, { now: manualClock().now });
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const verify = async () => {
      calls++;
      await gate;
      return verified();
    };
    const pending = [cache.verifyOnce('', 'jane', 'secret', verify), cache.verifyOnce('', 'jane', 'secret', verify)];
    const other = cache.verifyOnce('', 'jane', 'other secret', verify);
    release();
    const [first, second] = await Promise.all(pending);
    await other;
    expect(calls).toBe(2);
    expect(first).toBe(second);
  });

  it('verifies again once a shared verification has ended, even a failed one', async () => {
    const cache = new CredentialCache(TTL, { now: manualClock().now });
    let calls = 0;
    const failing = async () => {
      calls++;
      return null;
    };
    await cache.verifyOnce('', 'jane', 'secret', failing);
    await cache.verifyOnce('', 'jane', 'secret', failing);
    expect(calls).toBe(2);
  });

  it('binds an entry to the stored hash the secret matched', async () => {
    const cache = new CredentialCache(TTL, { now: manualClock().now });
    await cache.verifyOnce('', 'jane', 'secret', async () => verified('hash-1'));
    const remembered = cache.lookup('', 'jane', 'secret')!;
    // What the authenticator checks each newer document against (see test/unit/credential-rule.test.ts).
    expect(remembered.matched).toBe('hash-1');
  });

  it('keeps the newer document given to refresh, and drops the entry on forget', async () => {
    const cache = new CredentialCache(TTL, { now: manualClock().now });
    await cache.verifyOnce('', 'jane', 'secret', async () => verified('hash-1', { _rev: '1-a' }));
    cache.lookup('', 'jane', 'secret')!.refresh(user({ _rev: '2-b' }));
    expect(cache.lookup('', 'jane', 'secret')?.user._rev).toBe('2-b');
    cache.lookup('', 'jane', 'secret')!.forget();
    expect(cache.lookup('', 'jane', 'secret')).toBeNull();
  });

  it('remembers nothing with a time to live of 0, but still shares verifications under way', async () => {
    const cache = new CredentialCache(0, { now: manualClock().now });
    let calls = 0;
    const verify = async () => {
      calls++;
      return verified();
    };
    await Promise.all([cache.verifyOnce('', 'jane', 'secret', verify), cache.verifyOnce('', 'jane', 'secret', verify)]);
    expect(calls).toBe(1);
    expect(cache.lookup('', 'jane', 'secret')).toBeNull();
  });

  it('holds at most maxEntries credentials, dropping the least recently used', async () => {
    const cache = new CredentialCache(TTL, { maxEntries: 2, now: manualClock().now });
    for (const secret of ['a', 'b']) await cache.verifyOnce('', 'jane', secret, async () => verified());
    cache.lookup('', 'jane', 'a');
    await cache.verifyOnce('', 'jane', 'c', async () => verified());
    expect(cache.lookup('', 'jane', 'a')).not.toBeNull();
    expect(cache.lookup('', 'jane', 'b')).toBeNull();
    expect(cache.lookup('', 'jane', 'c')).not.toBeNull();
  });
});
