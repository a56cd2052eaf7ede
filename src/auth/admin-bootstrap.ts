import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/environment.js';
import type { UserDatabases } from '../couch/databases.js';
import { hasErrorCode } from '../errors.js';
import { verifySecret } from '../users/passwords.js';
import type { StoredUser } from '../users/stored-user.js';
import { DatabaseUserLoaders } from '../users/user-loaders.js';
import { UserRepository } from '../users/user-repository.js';
import { views } from '../users/user-views.js';
import { UserWrites, type UserWriteOptions } from '../users/user-writes.js';
import { isAdmin } from '../users/user-permissions.js';

/** A password for an admin nobody chose one for: 144 random bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A new user with an ADMIN grant (the first admin, or one `npm run admin` creates). */
export function createAdmin(writes: UserWrites, login: string, password: string): Promise<StoredUser> {
  return writes.create({ login, name: 'Administrator', password, permissions: [{ grants: [{ type: 'ADMIN' }] }] });
}

/**
 * When the default database has no admin, creates one: `ADMIN_LOGIN` (default
 * `admin`) with `ADMIN_PASSWORD`, or with a generated password written once to
 * stderr (never to the log on stdout). Several gateways starting at once create one
 * admin: the login reservation lets one of them win. When there is an admin already,
 * ADMIN_PASSWORD changes nothing, and a warning says so unless it is that admin's
 * password anyway.
 */
export async function bootstrapAdmin(databases: UserDatabases, admin: GatewayConfig['admin'], writeOptions: UserWriteOptions, logger: Logger): Promise<void> {
  const repository = new UserRepository(databases, null);
  const loaders = new DatabaseUserLoaders(repository);
  if (await repository.hasAny(views.admins)) {
    if (admin.password && !(await isAdminWithPassword(await loaders.byLogin(admin.login), admin.password))) {
      logger.warn(
        { login: admin.login },
        "ADMIN_PASSWORD is set but not applied: the default database has an admin already (ADMIN_PASSWORD only sets the first admin's password). To set a password: npm run admin -- reset-password",
      );
    }
    return;
  }
  const password = admin.password ?? generatePassword();
  try {
    await createAdmin(new UserWrites(loaders, writeOptions), admin.login, password);
  } catch (error) {
    if (!hasErrorCode(error, 'ALREADY_EXISTS')) throw error;
    logger.warn(
      { login: admin.login },
      'no admin in the default database, and its login is taken (by another gateway creating it now, or by a user who is not an admin)',
    );
    return;
  }
  logger.info({ login: admin.login }, 'created the first admin');
  if (!admin.password) {
    process.stderr.write(
      `\nFirst admin created: login "${admin.login}", password "${password}". It is shown only this once: change it (or later: npm run admin -- reset-password).\n\n`,
    );
  }
}

async function isAdminWithPassword(user: StoredUser | null, password: string): Promise<boolean> {
  return user !== null && isAdmin(user) && (await verifySecret(password, user.passwordHash));
}
