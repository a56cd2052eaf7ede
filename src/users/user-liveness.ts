import { isStoredUser, USER_JAVA_TYPE, type StoredUser } from './stored-user.js';

/**
 * A live user: a User document that is not soft-deleted. Only live users are found
 * by login, email or healthcare party, listed, and hold their login and email.
 */
export function isLiveUser(doc: unknown): doc is StoredUser {
  return isStoredUser(doc) && !doc.deleted;
}

/**
 * Live and ACTIVE (iCure reads a missing status as ACTIVE): only such a user
 * authenticates or is sent a password reset.
 */
export function isActiveUser(doc: unknown): doc is StoredUser {
  return isLiveUser(doc) && (doc.status ?? 'ACTIVE') === 'ACTIVE';
}

/**
 * `isLiveUser` as a condition on `doc` for CouchDB map functions (ES5, no closures);
 * test/unit/user-views.test.ts holds the views to the function above.
 */
export const LIVE_USER_CONDITION = `doc.java_type === '${USER_JAVA_TYPE}' && !doc.deleted`;
