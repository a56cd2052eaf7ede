import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { encodePassword, icureSaltedSha256, verifySecret } from '../../src/users/passwords.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('stored password hashes', () => {
  it('verifies the gateway own {bcrypt} hashes', async () => {
    const stored = await encodePassword('correct horse', 4);
    expect(stored).toMatch(/^\{bcrypt\}\$2b\$04\$/);
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('wrong horse', stored)).toBe(false);
  });

  it('verifies bare bcrypt in $2a$, $2b$ and $2y$ forms', async () => {
    const hash = bcrypt.hashSync('LetMeIn', 4);
    for (const variant of ['$2a$', '$2b$', '$2y$']) {
      const stored = variant + hash.slice(4);
      expect(await verifySecret('LetMeIn', stored)).toBe(true);
      expect(await verifySecret('LetMeOut', stored)).toBe(false);
    }
  });

  it("verifies iCure's salted SHA-256 {salt}hex64, as Spring's MessageDigestPasswordEncoder writes it", async () => {
    const salt = 'c2FsdHNhbHRzYWx0';
    const stored = `{${salt}}${sha256(`LetMeIn{${salt}}`)}`;
    expect(icureSaltedSha256('LetMeIn', salt)).toBe(stored);
    expect(await verifySecret('LetMeIn', stored)).toBe(true);
    expect(await verifySecret('LetMeIn', `{sha256}${stored}`)).toBe(true);
    expect(await verifySecret('letmein', stored)).toBe(false);
    expect(await verifySecret('LetMeIn', `{other}${sha256(`LetMeIn{${salt}}`)}`)).toBe(false);
  });

  it('verifies bare SHA-256 hex (the E2E seeds: sha256("LetMeIn"))', async () => {
    expect(sha256('LetMeIn')).toMatch(/^1796980233/);
    expect(await verifySecret('LetMeIn', sha256('LetMeIn'))).toBe(true);
    expect(await verifySecret('LetMeIn', sha256('LetMeIn').toUpperCase())).toBe(true);
    expect(await verifySecret('LetMeOut', sha256('LetMeIn'))).toBe(false);
  });

  it('refuses what it cannot read', async () => {
    for (const stored of [null, undefined, '', '*', 'plain-text', '{bcrypt}garbage', '{pbkdf2}abc']) {
      expect(await verifySecret('anything', stored)).toBe(false);
    }
  });
});
