import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/environment.js';
import type { UserDatabases } from '../couch/databases.js';
import { hasErrorCode } from '../errors.js';
import { DatabaseUserLoaders } from '../users/user-loaders.js';
import { UserRepository } from '../users/user-repository.js';
import { views } from '../users/user-views.js';
import { UserWrites, type UserWriteOptions } from '../users/user-writes.js';

/**
 * When the default database has no admin, creates one: `ADMIN_LOGIN` (default
 * `admin`) with `ADMIN_PASSWORD`, or with a generated password printed once on the
 * console (never logged). Several gateways starting at once create one admin: the
 * login reservation lets one of them win.
 */
export async function bootstrapAdmin(
  databases: UserDatabases,
  admin: GatewayConfig['admin'],
  writeOptions: UserWriteOptions,
  logger: Logger,
): Promise<void> {
  const repository = new UserRepository(databases, null);
  if (await repository.hasAny(views.admins)) return;
  const password = admin.password ?? randomBytes(18).toString('base64url');
  const writes = new UserWrites(new DatabaseUserLoaders(repository), writeOptions);
  try {
    await writes.create({ login: admin.login, name: 'Administrator', password, permissions: [{ grants: [{ type: 'ADMIN' }] }] });
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
    process.stdout.write(
      `\nFirst admin created: login "${admin.login}", password "${password}". It is shown only this once: change it.\n\n`,
    );
  }
}
