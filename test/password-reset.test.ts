import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { basic, startTestGateway, type TestGateway } from './support/test-gateway.js';

interface ReceivedMail {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives. While held, it accepts
 * nothing: each mail's transfer stays unfinished until `release()`.
 */
async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  let held: (() => void)[] | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        const accept = () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
          callback();
        };
        if (held) held.push(accept);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    hold: () => {
      held ??= [];
    },
    release: () => {
      for (const accept of held ?? []) accept();
      held = null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The body of a raw mail with quoted-printable soft line breaks undone. */
const bodyOf = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
const tokenIn = (raw: string) => /\n([A-Za-z0-9_-]{32})\r?\n/.exec(bodyOf(raw))?.[1] ?? null;

async function until<T>(probe: () => T | undefined | null | Promise<T | undefined | null>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const REQUEST = 'mutation($email: String!, $template: EmailTemplateInput) { requestPasswordReset(email: $email, template: $template) }';
const RESET = 'mutation($email: String!, $token: String!, $password: String!) { resetPassword(email: $email, token: $token, newPassword: $password) }';

describe('password reset over SMTP', () => {
  let t: TestGateway;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestGateway({ mail: { smtpUrl: smtp.url, from: 'gateway@example.org' } });
    await t.graphql('mutation { createUser(input: { login: "forgetful", name: "Forgetful", email: "forgetful@example.org", password: "old password" }) { id } }');
    await t.graphql('mutation { createUser(input: { login: "blocked", email: "blocked@example.org", status: DISABLED }) { id } }');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const anonymous = {};

  it('answers true at once for known and unknown emails, and mails only the known, active user', async () => {
    // The SMTP server accepts no mail until released: an answer that waited for the mail would never come.
    smtp.hold();
    const known = await t.graphql(REQUEST, { email: 'forgetful@example.org' }, anonymous);
    const unknown = await t.graphql(REQUEST, { email: 'stranger@example.org' }, anonymous);
    const disabled = await t.graphql(REQUEST, { email: 'blocked@example.org' }, anonymous);
    for (const response of [known, unknown, disabled]) expect(response.data).toEqual({ requestPasswordReset: true });
    expect(smtp.received).toEqual([]);
    smtp.release();
    const mail = await until(() => smtp.received.find((message) => message.to.includes('forgetful@example.org')));
    expect(mail.raw).toMatch(/^Subject: Reset your password/m);
    expect(mail.raw).toMatch(/^From: gateway@example\.org/m);
    expect(bodyOf(mail.raw)).toContain('Hello Forgetful');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.received.flatMap((message) => message.to)).toEqual(['forgetful@example.org']);
  });

  it('sets the password once with the mailed token; a used, wrong or expired token is refused alike', async () => {
    // Cache the old password first: the reset must invalidate it.
    expect((await t.graphql('{ currentUser { login } }', undefined, basic('forgetful', 'old password'))).status).toBe(200);
    smtp.received.length = 0;
    await t.graphql(REQUEST, { email: 'forgetful@example.org' }, anonymous);
    const token = tokenIn((await until(() => smtp.received[0])).raw);
    expect(token).toBeTruthy();

    const wrong = await t.graphql(RESET, { email: 'forgetful@example.org', token: 'x'.repeat(32), password: 'new password' }, anonymous);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await t.graphql(RESET, { email: 'forgetful@example.org', token, password: 'new password' }, anonymous)).data).toEqual({
      resetPassword: true,
    });
    const reused = await t.graphql(RESET, { email: 'forgetful@example.org', token, password: 'third password' }, anonymous);
    expect(reused.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);

    expect((await t.graphql('{ currentUser { login } }', undefined, basic('forgetful', 'old password'))).status).toBe(401);
    expect((await t.graphql('{ currentUser { login } }', undefined, basic('forgetful', 'new password'))).data.currentUser.login).toBe('forgetful');

    smtp.received.length = 0;
    await t.graphql(REQUEST, { email: 'forgetful@example.org' }, anonymous);
    const late = tokenIn((await until(() => smtp.received[0])).raw);
    const reset = await until(async () => {
      return (await t.admin.allDocs(t.db)).find((doc: any) => doc.java_type === 'icure-user-gateway.PasswordReset');
    });
    expect(JSON.stringify(reset)).not.toContain(late);
    await t.admin.insert(t.db, [{ ...reset, expiresAt: Date.now() - 1 }]);
    const expired = await t.graphql(RESET, { email: 'forgetful@example.org', token: late, password: 'fourth password' }, anonymous);
    expect(expired.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it('fills a custom template, which must carry the token', async () => {
    smtp.received.length = 0;
    const template = { subject: 'Your {{login}} code', body: 'Dear {{name}} <{{email}}>, code: {{token}}' };
    expect((await t.graphql(REQUEST, { email: 'forgetful@example.org', template }, anonymous)).data.requestPasswordReset).toBe(true);
    const mail = await until(() => smtp.received[0]);
    expect(mail.raw).toMatch(/^Subject: Your forgetful code/m);
    expect(bodyOf(mail.raw)).toMatch(/Dear Forgetful <forgetful@example\.org>, code: [A-Za-z0-9_-]{32}/);
    const refused = await t.graphql(REQUEST, { email: 'forgetful@example.org', template: { body: 'no code here' } }, anonymous);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'template.body' });
  });
});

describe('password reset without SMTP', () => {
  it('writes the mail as an .eml file under DATA_DIR/outbox', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
    const t = await startTestGateway({ dataDir, mail: { smtpUrl: null, from: 'gateway@example.org' } });
    try {
      await t.graphql('mutation { createUser(input: { login: "offline", email: "offline@example.org" }) { id } }');
      await t.graphql(REQUEST, { email: 'offline@example.org' }, {});
      const outbox = path.join(dataDir, 'outbox');
      const file = await until(async () => (await readdir(outbox).catch(() => [])).find((name) => name.endsWith('.eml')));
      const raw = await readFile(path.join(outbox, file), 'utf8');
      expect(raw).toMatch(/^To: offline@example\.org/m);
      expect(tokenIn(raw)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    } finally {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a reset mail that cannot leave', () => {
  /** A gateway whose log lines are kept, and the count of failed mails its /metrics shows. */
  async function gatewayWithLog(overrides: Parameters<typeof startTestGateway>[0]) {
    const lines: Record<string, any>[] = [];
    const t = await startTestGateway(overrides, createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) }));
    await t.graphql('mutation { createUser(input: { login: "unlucky", email: "unlucky@example.org" }) { id } }');
    const failures = async (transport: string) => {
      const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
      return Number(new RegExp(`^gateway_mail_failures_total\\{transport="${transport}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    };
    return { t, lines, failures };
  }

  it('through an SMTP server that refuses connections: true for the caller, an error in the log, a count in /metrics', async () => {
    const smtp = await startSmtpServer();
    await smtp.close();
    const { t, lines, failures } = await gatewayWithLog({ mail: { smtpUrl: smtp.url, from: 'gateway@example.org' } });
    try {
      expect(await failures('smtp')).toBe(0);
      expect((await t.graphql(REQUEST, { email: 'unlucky@example.org' }, {})).data).toEqual({ requestPasswordReset: true });
      await until(async () => (await failures('smtp')) === 1);
      const logged = await until(() => lines.find((line) => line.level === 50 && line.msg.startsWith('password reset request failed')));
      expect(logged.err).toMatchObject({
        type: 'MailFailure',
        message: expect.stringContaining(`send the mail through SMTP_URL (smtp://127.0.0.1:${new URL(smtp.url).port})`),
      });
      expect(logged.err.message).toContain('ECONNREFUSED');
    } finally {
      await t.close();
    }
  });

  it('to an outbox that can no longer be written: true for the caller, an error in the log, a count in /metrics', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'outbox-'));
    const { t, lines, failures } = await gatewayWithLog({ dataDir, mail: { smtpUrl: null, from: 'gateway@example.org' } });
    try {
      // Writable at start (checked then); a file takes its place afterwards.
      const outbox = path.join(dataDir, 'outbox');
      await rm(outbox, { recursive: true });
      await writeFile(outbox, 'not a directory');
      expect((await t.graphql(REQUEST, { email: 'unlucky@example.org' }, {})).data).toEqual({ requestPasswordReset: true });
      await until(async () => (await failures('outbox')) === 1);
      const logged = await until(() => lines.find((line) => line.level === 50 && line.msg.startsWith('password reset request failed')));
      expect(logged.err).toMatchObject({ type: 'MailFailure', message: expect.stringContaining(`write the mail to ${outbox}`) });
    } finally {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
