import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import type { StoredUser } from '../../src/users/stored-user.js';
import { ALWAYS_PERMISSION_ITEM, applyUserPatch, mergeProperties, WRITABLE_USER_FIELDS } from '../../src/users/user-patch.js';
import { icureUser } from '../support/user-documents.js';

const stored = (fields: Partial<StoredUser> = {}) => icureUser({ _id: 'u1', login: 'jane', email: 'jane@example.org', name: 'Jane', ...fields });

describe('applyUserPatch', () => {
  it('keeps what the patch leaves out and writes what it gives', () => {
    const user = stored({ mobilePhone: '+32470000000', roles: ['BASIC'] });
    const next = applyUserPatch(user, { name: 'Doe', healthcarePartyId: 'hcp-1' });
    expect(next).toMatchObject({ login: 'jane', email: 'jane@example.org', mobilePhone: '+32470000000', roles: ['BASIC'], name: 'Doe', healthcarePartyId: 'hcp-1' });
    expect(user.name).toBe('Jane');
  });

  it('clears a field given null, and a text field given blanks (iCure writes no nulls)', () => {
    const next = applyUserPatch(stored({ mobilePhone: '+32470000000', patientId: 'p1', termsOfUseDate: 5 }), {
      name: null,
      mobilePhone: '   ',
      patientId: '',
      termsOfUseDate: null,
    });
    for (const field of ['name', 'mobilePhone', 'patientId', 'termsOfUseDate']) expect(next).not.toHaveProperty(field);
  });

  it('defaults the login to the email, then the mobile phone, and the status to ACTIVE', () => {
    expect(applyUserPatch(stored(), { login: null })).toMatchObject({ login: 'jane@example.org' });
    expect(applyUserPatch(stored({ email: undefined, mobilePhone: '+32470000000' }), { login: '' }).login).toBe('+32470000000');
    expect(applyUserPatch(stored({ status: 'DISABLED' }), { status: null }).status).toBe('ACTIVE');
    expect(applyUserPatch(stored({ status: undefined }), {}).status).toBe('ACTIVE');
  });

  it('stores lists as iCure does: permission items typed, delegations by tag, dates in epoch ms, no nulls', () => {
    const next = applyUserPatch(stored(), {
      roles: null,
      permissions: [{ grants: [{ type: 'ADMIN' }], revokes: null }],
      autoDelegations: [{ tag: 'medicalInformation', delegateIds: ['hcp-1', 'hcp-2'] }],
      termsOfUseDate: new Date(1_700_000_000_000),
      identifiers: [{ system: 'nihdi', value: '123', use: null, type: { code: 'x', version: null } }],
      properties: [{ id: null, type: { identifier: 'lang', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'fr', dateValue: null } }],
    });
    expect(next.roles).toEqual([]);
    expect(next.permissions).toEqual([{ grants: [{ java_type: ALWAYS_PERMISSION_ITEM, type: 'ADMIN' }], revokes: [] }]);
    expect(next.autoDelegations).toEqual({ medicalInformation: ['hcp-1', 'hcp-2'] });
    expect(next.termsOfUseDate).toBe(1_700_000_000_000);
    expect(next.identifier).toEqual([{ system: 'nihdi', value: '123', type: { code: 'x' } }]);
    expect(next.properties).toEqual([{ type: { identifier: 'lang', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'fr' } }]);
  });

  it('leaves the password to the caller, which hashes it', () => {
    const next = applyUserPatch(stored({ passwordHash: 'stored-hash' }), { password: 'a new password' });
    expect(next.passwordHash).toBe('stored-hash');
    expect(next).not.toHaveProperty('password');
  });

  it('writes exactly the fields CreateUserInput and ModifyUserInput declare (besides id and rev)', () => {
    const inputFields = (name: string) => Object.keys((schema.getType(name) as { getFields(): object }).getFields());
    expect(
      inputFields('CreateUserInput')
        .filter((field) => field !== 'id')
        .sort(),
    ).toEqual([...WRITABLE_USER_FIELDS].sort());
    expect(
      inputFields('ModifyUserInput')
        .filter((field) => field !== 'id' && field !== 'rev')
        .sort(),
    ).toEqual([...WRITABLE_USER_FIELDS].sort());
  });

  it('writes no field that User does not give back (the password shows as hasPassword)', () => {
    const userFields = Object.keys((schema.getType('User') as { getFields(): object }).getFields());
    expect(WRITABLE_USER_FIELDS.filter((field) => field !== 'password' && !userFields.includes(field))).toEqual([]);
    expect(userFields).toContain('hasPassword');
  });
});

describe('mergeProperties', () => {
  const language = (value: string, type?: 'STRING') => ({
    type: { identifier: 'lang', ...(type ? { type } : {}) },
    typedValue: { type: 'STRING' as const, stringValue: value },
  });

  it('replaces the value of a property with the same identifier, fills its missing type, appends the others, removes none', () => {
    const stored = [language('fr'), { type: { identifier: 'theme' }, typedValue: { stringValue: 'dark' } }];
    const merged = mergeProperties(stored, [language('nl', 'STRING'), { type: { identifier: 'tz' }, typedValue: { stringValue: 'CET' } }]);
    expect(merged).toEqual([
      { type: { identifier: 'lang', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'nl' } },
      { type: { identifier: 'theme' }, typedValue: { stringValue: 'dark' } },
      { type: { identifier: 'tz' }, typedValue: { stringValue: 'CET' } },
    ]);
  });

  it('keeps a stored type over an incoming one', () => {
    const [merged] = mergeProperties([{ type: { identifier: 'n', type: 'INTEGER' } }], [{ type: { identifier: 'n', type: 'STRING' }, typedValue: { integerValue: 3 } }]);
    expect(merged).toEqual({ type: { identifier: 'n', type: 'INTEGER' }, typedValue: { integerValue: 3 } });
  });
});
