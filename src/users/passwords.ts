import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

const BCRYPT_PREFIX = '{bcrypt}';

/**
 * The stored form of a new password: `{bcrypt}` + a bcrypt hash, which iCure's
 * DelegatingPasswordEncoder verifies too.
 */
export async function encodePassword(password: string, rounds: number): Promise<string> {
  return BCRYPT_PREFIX + (await bcrypt.hash(password, rounds));
}

/**
 * iCure's default password encoding (Spring `MessageDigestPasswordEncoder`,
 * SHA-256): `{salt}` followed by the hex SHA-256 of `password + "{" + salt + "}"`.
 */
export function icureSaltedSha256(password: string, salt: string = randomBytes(16).toString('base64')): string {
  return `{${salt}}${sha256Hex(`${password}{${salt}}`)}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Whether `secret` matches a stored hash in any form iCure or the gateway writes:
 * `{bcrypt}…` and bare `$2a$/$2b$/$2y$` bcrypt, salted SHA-256 `{salt}hex64`
 * (optionally prefixed `{sha256}`), and bare SHA-256 hex.
 */
export async function verifySecret(secret: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const hash = stored.startsWith('{sha256}') ? stored.slice('{sha256}'.length) : stored;
  if (hash.startsWith(BCRYPT_PREFIX)) return verifyBcrypt(secret, hash.slice(BCRYPT_PREFIX.length));
  if (/^\$2[aby]\$/.test(hash)) return verifyBcrypt(secret, hash);
  const salted = /^\{([^}]*)\}([0-9a-fA-F]{64})$/.exec(hash);
  if (salted) return equalHex(sha256Hex(`${secret}{${salted[1]}}`), salted[2]!);
  if (/^[0-9a-fA-F]{64}$/.test(hash)) return equalHex(sha256Hex(secret), hash);
  return false;
}

async function verifyBcrypt(secret: string, hash: string): Promise<boolean> {
  try {
    // bcryptjs knows $2a$ and $2b$; $2y$ (PHP's name) is the same algorithm.
    return await bcrypt.compare(secret, hash.replace(/^\$2y\$/, '$2b$'));
  } catch {
    return false;
  }
}

function equalHex(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'hex');
  const b = Buffer.from(stored.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
