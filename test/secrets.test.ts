import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { basic, startTestGateway, type TestGateway } from './support/test-gateway.js';

/** Every operation of the contract, driven with known secrets; then no response (but two) and no log line may hold one. */
describe('secrets never leave the server', () => {
  let t: TestGateway;
  let dataDir: string;
  const logLines: string[] = [];
  const responses: { operation: string; body: string }[] = [];
  const secrets = new Set<string>();

  const P1 = 'First-Secret-Password-9f3a';
  const P2 = 'Second-Secret-Password-7c1b';
  const P3 = 'Third-Secret-Password-5e8c';
  const P4 = 'Fourth-Secret-Password-2d6e';
  const addCredentials = (identifier: string, secret: string) => {
    secrets.add(secret);
    secrets.add(Buffer.from(`${identifier}:${secret}`).toString('base64'));
  };

  async function call(operation: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
    const response = await fetch(`${t.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers ?? basic('admin', 'admin-password-for-tests')) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.text();
    responses.push({ operation, body });
    return JSON.parse(body);
  }

  async function storedHashes(): Promise<string[]> {
    return (await t.admin.allDocs(t.db)).flatMap((doc: any) =>
      [doc.passwordHash, doc.tokenHash, ...Object.values(doc.authenticationTokens ?? {}).map((token: any) => token?.token)].filter(Boolean),
    );
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'secrets-'));
    const destination = { write: (line: string) => void logLines.push(line) };
    t = await startTestGateway({ dataDir, mail: { smtpUrl: null, from: 'gateway@example.org' } }, createLogger('trace', destination));
    addCredentials('admin', 'admin-password-for-tests');

    const created = await call('createUser', 'mutation($i: CreateUserInput!) { createUser(input: $i) { id rev hasPassword } }', {
      i: { login: 'secretive', email: 'secretive@example.org', password: P1 },
    });
    const id = created.data.createUser.id;
    for (const hash of await storedHashes()) secrets.add(hash);
    addCredentials('secretive', P1);
    const asP1 = basic('secretive', P1);
    await call('currentUser', '{ currentUser { id login hasPassword authenticationTokens { key } } }', undefined, asP1);
    await call('checkPassword', `{ right: checkPassword(password: "${P1}") wrong: checkPassword(password: "${P2}") }`, undefined, asP1);
    await call('duplicate createUser', `mutation { createUser(input: { login: "secretive", password: "${P3}" }) { id } }`);
    await call('short password', 'mutation { createUser(input: { login: "x", password: "short1" }) { id } }');
    await call('stale modifyUser', `mutation { modifyUser(input: { id: "${id}", rev: "1-deadbeef", password: "${P3}" }) { id } }`, undefined, asP1);
    const rev = (await call('user', `{ user(id: "${id}") { rev } }`)).data.user.rev;
    await call('modifyUser', `mutation { modifyUser(input: { id: "${id}", rev: "${rev}", password: "${P2}" }) { rev } }`, undefined, asP1);
    for (const hash of await storedHashes()) secrets.add(hash);
    addCredentials('secretive', P2);
    await call('old password', '{ currentUser { id } }', undefined, asP1);
    const asP2 = basic('secretive', P2);
    const token = (await call('createAuthenticationToken', 'mutation { createAuthenticationToken(userId: "secretive", key: "cli") { token } }', undefined, asP2)).data
      .createAuthenticationToken.token;
    addCredentials('secretive', token);
    for (const hash of await storedHashes()) secrets.add(hash);
    await call('token login', `{ currentUser { id } authenticationTokenValid(userId: "secretive", token: "${token}") }`, undefined, basic('secretive', token));
    await call('encodePassword', `{ encodePassword(password: "${P3}") }`, undefined, asP2);
    secrets.add(P3);
    await call('users', '{ users { edges { node { id hasPassword authenticationTokens { key validity } } } } }');
    await call('requestPasswordReset', 'mutation { requestPasswordReset(email: "secretive@example.org") }', undefined, {});
    const outbox = path.join(dataDir, 'outbox');
    let mail = '';
    for (let i = 0; i < 100 && !mail; i++) {
      const [file] = await readdir(outbox).catch(() => []);
      if (file) mail = await readFile(path.join(outbox, file), 'utf8');
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const resetToken = /\n([A-Za-z0-9_-]{32})\r?\n/.exec(mail.replace(/=\r?\n/g, ''))?.[1] ?? '';
    expect(resetToken).not.toBe('');
    secrets.add(resetToken);
    for (const hash of await storedHashes()) secrets.add(hash);
    await call('wrong resetPassword', `mutation { resetPassword(email: "secretive@example.org", token: "${'y'.repeat(32)}", newPassword: "${P4}") }`, undefined, {});
    await call('resetPassword', `mutation { resetPassword(email: "secretive@example.org", token: "${resetToken}", newPassword: "${P4}") }`, undefined, {});
    addCredentials('secretive', P4);
    for (const hash of await storedHashes()) secrets.add(hash);
    await call('new password', '{ currentUser { login } }', undefined, basic('secretive', P4));
    t.proxy.cut(true);
    await call('CouchDB down', '{ currentUser { login } }', undefined, basic('secretive', P4));
    t.proxy.cut(false);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('drove every operation it meant to', () => {
    expect(responses.length).toBeGreaterThan(15);
    expect(secrets.size).toBeGreaterThan(12);
    expect(logLines.length).toBeGreaterThan(15);
  });

  it('keeps them out of every response but the one creating a token (and encodePassword, which hashes its own input)', () => {
    for (const { operation, body } of responses) {
      if (operation === 'createAuthenticationToken' || operation === 'encodePassword') continue;
      for (const secret of secrets) expect(body, `${operation} leaks ${secret}`).not.toContain(secret);
    }
    const encoded = responses.find((response) => response.operation === 'encodePassword')!.body;
    expect(encoded).not.toContain(P3);
  });

  it('keeps them out of the logs', () => {
    const logs = logLines.join('\n');
    for (const secret of secrets) expect(logs.includes(secret), `the logs hold ${secret}`).toBe(false);
    expect(logs).not.toMatch(/authorization/i);
  });
});
