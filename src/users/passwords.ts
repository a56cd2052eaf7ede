import { createHash, randomBytes } from 'node:crypto';

/**
 * iCure's default password encoding (Spring `MessageDigestPasswordEncoder`,
 * SHA-256): `{salt}` followed by the hex SHA-256 of `password + "{" + salt + "}"`.
 */
export function icureSaltedSha256(password: string, salt: string = randomBytes(16).toString('base64')): string {
  const digest = createHash('sha256').update(`${password}{${salt}}`, 'utf8').digest('hex');
  return `{${salt}}${digest}`;
}
