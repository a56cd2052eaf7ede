import { describe, expect, it } from 'vitest';
import { callerOf } from '../../src/auth/caller.js';
import { authScopes, PRIVILEGED_USER_FIELDS, refuseHealthcarePartyChange, refusePrivilegedFields } from '../../src/auth/scopes.js';
import { GatewayError } from '../../src/errors.js';
import type { StoredUser } from '../../src/users/stored-user.js';
import { carriesIdentifier, identifierLookup } from '../../src/users/user-identifiers.js';
import { icureUser } from '../support/user-documents.js';

const user = (fields: Partial<StoredUser> = {}): StoredUser => ({
  ...icureUser({ _id: 'u-1', login: 'jane', email: 'jane@example.org', ...fields }),
  _rev: '1-a',
});
const adminGrant = [{ grants: [{ type: 'ADMIN' }] }];

function refusal(check: () => void) {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return (error as GatewayError).extensions;
  }
  return null;
}

describe('identifier matching', () => {
  it('looks an identifier up as an id and an email exactly, as a login trimmed', () => {
    expect(identifierLookup('  jane ')).toEqual({ id: '  jane ', login: 'jane', email: '  jane ' });
  });

  it('designates a user by its id, its login (trimmed) or its email, case-sensitively', () => {
    const jane = user();
    for (const identifier of ['u-1', 'jane', ' jane  ', 'jane@example.org']) expect(carriesIdentifier(jane, identifier), identifier).toBe(true);
    for (const identifier of [' u-1', 'Jane', 'JANE@example.org', ' jane@example.org', 'u-2']) expect(carriesIdentifier(jane, identifier), identifier).toBe(false);
  });

  it('never matches a missing email or login', () => {
    const bare = user({ login: undefined, email: '' });
    expect(carriesIdentifier(bare, '')).toBe(false);
    expect(carriesIdentifier(bare, ' ')).toBe(false);
  });
});

describe('scopes', () => {
  const scopes = (fields: Partial<StoredUser> | null, groupId: string | null = null) => authScopes({ caller: fields ? callerOf(user(fields), groupId) : null });

  it('grant nothing to an anonymous request', () => {
    const anonymous = scopes(null);
    expect(anonymous).toMatchObject({ authenticated: false, admin: false, platformAdmin: false, readOthers: false });
    expect(anonymous.self('u-1')).toBe(false);
    expect(anonymous.selfIdentifier('jane')).toBe(false);
  });

  it('let a user reach itself by id, or by any identifier that designates it', () => {
    const jane = scopes({});
    expect(jane).toMatchObject({ authenticated: true, admin: false, readOthers: false });
    expect(jane.self('u-1')).toBe(true);
    expect(jane.self('jane')).toBe(false);
    for (const identifier of ['u-1', ' jane ', 'jane@example.org']) expect(jane.selfIdentifier(identifier)).toBe(true);
    expect(jane.selfIdentifier('other')).toBe(false);
  });

  it('let a user with a healthcare party, or an admin, read others; platform admins are admins of the default database', () => {
    expect(scopes({ healthcarePartyId: 'hcp-1' }).readOthers).toBe(true);
    expect(scopes({ permissions: adminGrant })).toMatchObject({ admin: true, platformAdmin: true, readOthers: true });
    expect(scopes({ permissions: adminGrant }, 'g1')).toMatchObject({ admin: true, platformAdmin: false });
    expect(scopes({ permissions: [...adminGrant, { revokes: [{ type: 'ADMIN' }] }] }).admin).toBe(false);
  });
});

describe('what a caller may write', () => {
  it('a user may not set its own roles, permissions or status (null included); an admin may', () => {
    const jane = callerOf(user(), null);
    expect(PRIVILEGED_USER_FIELDS).toEqual(['roles', 'permissions', 'status']);
    for (const field of PRIVILEGED_USER_FIELDS) {
      expect(refusal(() => refusePrivilegedFields(jane, { [field]: null }))).toMatchObject({ code: 'FORBIDDEN', field: `input.${field}` });
      expect(refusal(() => refusePrivilegedFields(callerOf(user({ permissions: adminGrant }), 'g1'), { [field]: null }))).toBeNull();
    }
    expect(refusal(() => refusePrivilegedFields(jane, {}))).toBeNull();
  });

  it('a user may choose its healthcare party while it has none; then only an admin may change it', () => {
    expect(refusal(() => refuseHealthcarePartyChange(callerOf(user(), null)))).toBeNull();
    expect(refusal(() => refuseHealthcarePartyChange(callerOf(user({ healthcarePartyId: 'hcp-1' }), null)))).toMatchObject({
      code: 'FORBIDDEN',
      field: 'healthcarePartyId',
    });
    expect(refusal(() => refuseHealthcarePartyChange(callerOf(user({ healthcarePartyId: 'hcp-1', permissions: adminGrant }), 'g1')))).toBeNull();
  });
});
