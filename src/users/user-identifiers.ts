import type { StoredUser } from './stored-user.js';

/**
 * How an identifier (in Basic credentials, or an argument taking an id, login or
 * email) designates a user, as iCure matches it: the `_id` exactly, the login once
 * the identifier is trimmed, the email exactly (case-sensitive).
 */
export interface IdentifierLookup {
  id: string;
  login: string;
  email: string;
}

export function identifierLookup(identifier: string): IdentifierLookup {
  return { id: identifier, login: lookupLogin(identifier), email: identifier };
}

/** A login to look up: iCure ignores the spaces around it. */
export function lookupLogin(login: string): string {
  return login.trim();
}

/** Whether the identifier designates this user (by any of the three). */
export function carriesIdentifier(user: Pick<StoredUser, '_id' | 'login' | 'email'>, identifier: string): boolean {
  const lookup = identifierLookup(identifier);
  return user._id === lookup.id || user.login === lookup.login || (Boolean(user.email) && user.email === lookup.email);
}
