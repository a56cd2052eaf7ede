import { describe, expect, it } from 'vitest';
import { credentialStillVerifies } from '../../src/auth/authenticator.js';
import type { StoredUser } from '../../src/users/stored-user.js';
import { icureUser } from '../support/user-documents.js';

const user = (fields: Partial<StoredUser> = {}): StoredUser =>
  ({ ...icureUser({ login: 'jane', email: 'jane@example.org', passwordHash: 'hash-1', ...fields }), _rev: '1-a' }) as StoredUser;

describe('a credential verified earlier, against a newer document of its user', () => {
  it('still verifies while the document carries the identifier and the stored hash the secret matched', () => {
    expect(credentialStillVerifies(user(), 'jane', 'hash-1')).toBe(true);
    expect(credentialStillVerifies(user(), 'jane@example.org', 'hash-1')).toBe(true);
    const token = { token: 'token-hash', creationTime: Date.now() - 1_000, validity: 3600 };
    expect(credentialStillVerifies(user({ authenticationTokens: { app: token } }), 'jane', 'token-hash')).toBe(true);
  });

  it('no longer verifies after a changed password, a dropped or expired token, a changed login, or when not live and ACTIVE', () => {
    expect(credentialStillVerifies(user({ passwordHash: 'hash-2' }), 'jane', 'hash-1')).toBe(false);
    const expired = { token: 'token-hash', creationTime: Date.now() - 7_200_000, validity: 3600 };
    expect(credentialStillVerifies(user({ authenticationTokens: { app: expired } }), 'jane', 'token-hash')).toBe(false);
    expect(credentialStillVerifies(user(), 'jane', 'token-hash')).toBe(false);
    expect(credentialStillVerifies(user({ login: 'joan' }), 'jane', 'hash-1')).toBe(false);
    expect(credentialStillVerifies(user({ status: 'DISABLED' }), 'jane', 'hash-1')).toBe(false);
    expect(credentialStillVerifies(user({ deleted: 1_700_000_000_000 }), 'jane', 'hash-1')).toBe(false);
    expect(credentialStillVerifies(null, 'jane', 'hash-1')).toBe(false);
  });
});
