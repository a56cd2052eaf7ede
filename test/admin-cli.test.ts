import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../src/server.js';
import { run } from './support/processes.js';
import { testConfig } from './support/test-config.js';
import { basic, postGraphQL, useTestCouch } from './support/test-gateway.js';

const file = useTestCouch();
const prefix = file.newPrefix();

/** `npm run admin -- …` against the test CouchDB, with `stdin` written to it. */
async function adminCommand(args: string[], env: Record<string, string> = {}, stdin?: string) {
  const command = run('src/cli/admin.ts', args, { COUCHDB_URL: file.couch.url, DB_PREFIX: prefix, ...env });
  command.child.stdin.end(stdin ?? '');
  return command.finished;
}

const whoAmI = async (gateway: Gateway, login: string, password: string) =>
  postGraphQL(gateway.url, '{ currentUser { login permissions { grants { type } } } }', undefined, basic(login, password));

describe('npm run admin -- reset-password', () => {
  it('creates the admin with a generated password shown once, warns at start that ADMIN_PASSWORD is not applied, and resets passwords of a running gateway', async () => {
    const created = await adminCommand(['reset-password']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created admin "admin" in ${prefix}-base.`);
    const generated = /Its password: (\S+)/.exec(created.stdout)?.[1] ?? '';
    expect(generated).toMatch(/^[\w-]{20,}$/);

    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const gateway = await startGateway(testConfig(file.couch.url, { dbPrefix: prefix, admin: { login: 'admin', password: 'not-the-admins-password' } }), logger);
    try {
      await gateway.ready;
      expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toContain(
        "ADMIN_PASSWORD is set but not applied: the default database has an admin already (ADMIN_PASSWORD only sets the first admin's password). To set a password: npm run admin -- reset-password",
      );
      expect((await whoAmI(gateway, 'admin', generated)).data?.currentUser).toEqual({ login: 'admin', permissions: [{ grants: [{ type: 'ADMIN' }] }] });

      // While the gateway runs: the new password works at once, the old one no more.
      const reset = await adminCommand(['reset-password', '--password-stdin'], {}, 'a new admin password\n');
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toBe(`Set the password of admin "admin" in ${prefix}-base.\n`);
      expect((await whoAmI(gateway, 'admin', 'a new admin password')).data?.currentUser.login).toBe('admin');
      expect((await whoAmI(gateway, 'admin', generated)).status).toBe(401);

      // Another login: created as an admin, with ADMIN_PASSWORD, which is not printed.
      const root = await adminCommand(['reset-password', '--login', 'root'], { ADMIN_PASSWORD: 'root-password-1' });
      expect(root.code, root.stderr).toBe(0);
      expect(root.stdout).toBe(`Created admin "root" in ${prefix}-base.\n`);
      expect((await whoAmI(gateway, 'root', 'root-password-1')).data?.currentUser).toEqual({ login: 'root', permissions: [{ grants: [{ type: 'ADMIN' }] }] });

      // A user who is not an admin keeps its password.
      const jane = await postGraphQL(
        gateway.url,
        'mutation { createUser(input: { login: "jane", password: "jane-password" }) { id } }',
        undefined,
        basic('root', 'root-password-1'),
      );
      expect(jane.errors).toBeUndefined();
      const refused = await adminCommand(['reset-password', '--login', 'jane'], { ADMIN_PASSWORD: 'taken-over-jane' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`"jane" in ${prefix}-base is not an admin: its password is left as it is.`);
      expect((await whoAmI(gateway, 'jane', 'jane-password')).data?.currentUser.login).toBe('jane');
    } finally {
      await gateway.close();
    }
  });

  it('refuses a short password and an unknown command with a clear message and no stack trace', async () => {
    const short = await adminCommand(['reset-password', '--password-stdin'], {}, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('The password must be at least 8 characters\n');
    const unknown = await adminCommand(['reset-everything']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Usage: npm run admin -- reset-password/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });
});
