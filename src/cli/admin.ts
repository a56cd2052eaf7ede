// npm run admin -- reset-password [--login LOGIN] [--password-stdin]
// Sets the password of an admin of the default database on the configured store
// (COUCHDB_URL, or the embedded store under DATA_DIR), creating the admin if there is
// no user with that login: the way back in after losing the admin password.
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { createAdmin, generatePassword } from '../auth/admin-bootstrap.js';
import { isAdmin } from '../users/user-permissions.js';
import { ConfigurationError, loadConfig } from '../config/environment.js';
import { connectCouch, DataDirInUseError } from '../couch/connection.js';
import { passwordSchema } from '../users/user-validation.js';
import { DatabaseUserLoaders } from '../users/user-loaders.js';
import { UserRepository } from '../users/user-repository.js';
import { userViews } from '../users/user-views.js';
import { UserWrites } from '../users/user-writes.js';
import { createCliLogger } from './cli-logger.js';

const USAGE = `Usage: npm run admin -- reset-password [--login LOGIN] [--password-stdin]

Sets the password of the admin LOGIN (default: ADMIN_LOGIN, else "admin") of the default database,
creating that admin when no user has the login. The password is read from stdin with --password-stdin,
else taken from ADMIN_PASSWORD, else generated and printed once.`;

/** A refusal the user can act on: its message alone is printed. */
class UsageError extends Error {}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { login: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'reset-password') throw new UsageError(USAGE);
  const config = loadConfig();
  const login = values.login ?? config.admin.login;
  const given = values['password-stdin'] ? (await text(process.stdin)).replace(/\r?\n$/, '') : config.admin.password;
  const password = given ?? generatePassword();
  const valid = passwordSchema.safeParse(password);
  if (!valid.success) throw new UsageError(`The password ${valid.error.issues[0]?.message ?? 'is invalid'}`);

  const couch = await connectCouch(config, userViews, createCliLogger());
  try {
    // The login is looked up in a view: an index build on a large database comes first.
    if (!(await couch.databases.indexesBuilt())) return;
    const loaders = new DatabaseUserLoaders(new UserRepository(couch.databases, null));
    const writes = new UserWrites(loaders, { bcryptRounds: config.bcryptRounds, reservationGraceMs: config.reservationGraceMs });
    const database = couch.databases.nameFor();
    const user = await loaders.byLogin(login);
    if (user && !isAdmin(user)) {
      throw new UsageError(`"${login}" in ${database} is not an admin: its password is left as it is. Choose an admin's login with --login.`);
    }
    if (user) {
      await writes.setPassword(user._id, password);
      process.stdout.write(`Set the password of admin "${login}" in ${database}.\n`);
      if (user.status && user.status !== 'ACTIVE') process.stdout.write(`Note: "${login}" is ${user.status}: it cannot log in until an admin makes it ACTIVE.\n`);
    } else {
      await createAdmin(writes, login, password);
      process.stdout.write(`Created admin "${login}" in ${database}.\n`);
    }
    if (!given) process.stdout.write(`Its password: ${password}\nIt is shown only this once.\n`);
  } finally {
    await couch.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigurationError || error instanceof DataDirInUseError;
  process.stderr.write(`${known ? error.message : `admin failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
});
