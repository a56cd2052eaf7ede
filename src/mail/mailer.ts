import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { requireWritableDirectory } from '../config/writable-directory.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** How mails leave: through SMTP_URL, or as files in the outbox. */
export type MailTransport = 'smtp' | 'outbox';

/** A mail that could not be sent or written; the message says where it was going, never a credential. */
export class MailFailure extends Error {
  override name = 'MailFailure';
}

/**
 * Sends through `SMTP_URL` when set; otherwise writes each mail as an `.eml` file
 * under `<DATA_DIR>/outbox` (checked writable here, at start), so that a bare machine
 * can still show what it sent. A mail that cannot leave is told to `onFailure`, then
 * rejected as a MailFailure.
 */
export async function openMailer(options: { smtpUrl: string | null; from: string; dataDir: string }, onFailure: (transport: MailTransport) => void): Promise<Mailer> {
  const reporting = (transport: MailTransport, send: (message: MailMessage) => Promise<void>, where: string): Mailer => ({
    async send(message) {
      try {
        await send(message);
      } catch (error) {
        onFailure(transport);
        throw new MailFailure(`Could not ${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
  });
  if (options.smtpUrl) {
    const { protocol, hostname, port } = new URL(options.smtpUrl);
    const transport = nodemailer.createTransport(options.smtpUrl);
    return reporting(
      'smtp',
      async (message) => void (await transport.sendMail({ from: options.from, ...message })),
      `send the mail through SMTP_URL (${protocol}//${hostname}:${port || 'default port'})`,
    );
  }
  const outbox = path.join(options.dataDir, 'outbox');
  await requireWritableDirectory(
    outbox,
    `password-reset mails are written there, as SMTP_URL is unset. Set DATA_DIR (now ${options.dataDir}) to a writable directory, or SMTP_URL to a mail server`,
  );
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return reporting(
    'outbox',
    async (message) => {
      const info = await transport.sendMail({ from: options.from, ...message });
      await writeFile(path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`), info.message as Buffer);
    },
    `write the mail to ${outbox}`,
  );
}
