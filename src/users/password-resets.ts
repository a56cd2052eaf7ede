import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Mailer } from '../mail/mailer.js';
import { invalidPasswordReset } from '../errors.js';
import { sha256Hex } from './passwords.js';
import { isActiveUser } from './user-liveness.js';
import type { DatabaseUserLoaders } from './user-loaders.js';
import type { UserWrites } from './user-writes.js';

/** Not a User: a pending password reset, one per user, holding only the token's hash. */
export const PASSWORD_RESET_JAVA_TYPE = 'icure-user-gateway.PasswordReset';
export const RESET_VALIDITY_MS = 30 * 60_000;

interface PasswordReset {
  _id: string;
  _rev?: string;
  java_type: typeof PASSWORD_RESET_JAVA_TYPE;
  userId: string;
  tokenHash: string;
  expiresAt: number;
}

export interface MailTemplate {
  subject?: string | null;
  body?: string | null;
}

const DEFAULT_TEMPLATE = {
  subject: 'Reset your password',
  body: 'Hello {{name}},\n\nUse this code to choose a new password within 30 minutes:\n\n{{token}}\n\nIf you did not ask for it, ignore this mail.\n',
};

const resetId = (userId: string) => `icure-user-gateway:password-reset:${userId}`;

/** Single-use, short-lived password resets by email. */
export class PasswordResets {
  constructor(
    private readonly loaders: DatabaseUserLoaders,
    private readonly writes: UserWrites,
    private readonly mailer: Mailer,
    private readonly now: () => number = Date.now,
  ) {}

  /** For a live, ACTIVE user with this email: a new reset (replacing any pending one) and a mail. Silent otherwise. */
  async request(email: string, template: MailTemplate | null | undefined): Promise<void> {
    const user = await this.loaders.byEmail(email);
    if (!isActiveUser(user)) return;
    const token = randomBytes(24).toString('base64url');
    const repository = this.loaders.repository;
    const pending = await repository.getDocument<PasswordReset>(resetId(user._id));
    const reset: PasswordReset = {
      _id: resetId(user._id),
      ...(pending?._rev ? { _rev: pending._rev } : {}),
      java_type: PASSWORD_RESET_JAVA_TYPE,
      userId: user._id,
      tokenHash: sha256Hex(token),
      expiresAt: this.now() + RESET_VALIDITY_MS,
    };
    if (!(await repository.putDocument(reset))) return; // a concurrent request won: its mail is on its way
    const fill = (text: string) =>
      text
        .replaceAll('{{token}}', token)
        .replaceAll('{{email}}', email)
        .replaceAll('{{name}}', user.name ?? user.login ?? email)
        .replaceAll('{{login}}', user.login ?? '');
    await this.mailer.send({
      to: email,
      subject: fill(template?.subject ?? DEFAULT_TEMPLATE.subject),
      text: fill(template?.body ?? DEFAULT_TEMPLATE.body),
    });
  }

  /** Consumes the reset and sets the password; a wrong, used or expired token is one and the same error. */
  async reset(email: string, token: string, newPassword: string): Promise<void> {
    const refused = invalidPasswordReset();
    const user = await this.loaders.byEmail(email);
    const reset = user ? await this.loaders.repository.getDocument<PasswordReset>(resetId(user._id)) : null;
    if (!user || !reset?._rev || reset.expiresAt <= this.now() || !sameHash(sha256Hex(token), reset.tokenHash)) throw refused;
    // Deleting that revision is what makes the token single-use, even for two concurrent resets.
    if (!(await this.loaders.repository.deleteDocument(reset._id, reset._rev))) throw refused;
    await this.writes.setPassword(user._id, newPassword);
  }
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
