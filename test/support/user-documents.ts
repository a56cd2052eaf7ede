import { randomUUID } from 'node:crypto';
import { USER_JAVA_TYPE, type StoredUser } from '../../src/users/stored-user.js';

/** A User document shaped the way iCure writes it (Jackson NON_NULL, empty collections kept). */
export function icureUser(fields: Partial<StoredUser> & { _id?: string } = {}): Omit<StoredUser, '_rev'> {
  const id = fields._id ?? randomUUID();
  return {
    _id: id,
    java_type: USER_JAVA_TYPE,
    created: 1_700_000_000_000,
    identifier: [],
    properties: [],
    roles: [],
    permissions: [],
    status: 'ACTIVE',
    login: `user-${id.slice(0, 8)}`,
    autoDelegations: {},
    applicationTokens: {},
    authenticationTokens: {},
    ...fields,
  };
}
