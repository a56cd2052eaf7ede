/** What an `Authorization: Basic` header says: who (in which database) and the secret. */
export interface BasicCredentials {
  /** Null for the default database; from `groupId/identifier`. */
  groupId: string | null;
  /** A user id, login or email. */
  identifier: string;
  /** A password or an authentication token. */
  secret: string;
}

/**
 * Parses `Basic base64(identifier:secret)`. Returns null when there is no header,
 * 'malformed' when there is one that is not valid Basic credentials.
 */
export function parseBasicCredentials(header: string | null): BasicCredentials | null | 'malformed' {
  if (header === null) return null;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match?.[1]) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return 'malformed';
  const user = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // `groupId/identifier`: ids and logins iCure accepts never contain '/', group ids neither.
  const slash = user.indexOf('/');
  const groupId = slash > 0 ? user.slice(0, slash) : null;
  const identifier = slash > 0 ? user.slice(slash + 1) : user;
  if (!identifier) return 'malformed';
  return { groupId, identifier, secret };
}
