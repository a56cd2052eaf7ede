import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/environment.js';
import { run } from './support/processes.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'startup-errors-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A loopback port nothing listens on. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm start` with this environment: it must exit 1; everything it printed. */
async function failedStart(env: Record<string, string>): Promise<string> {
  const { code, stdout, stderr } = await run('src/main.ts', [], { PORT: '0', ...env }).finished;
  expect(code, stdout + stderr).toBe(1);
  return stdout + stderr;
}

describe('start-up errors say what is wrong and which setting to change', () => {
  it('a CouchDB that refuses connections: host, port and ECONNREFUSED, never the password', async () => {
    const port = await refusingPort();
    const output = await failedStart({ COUCHDB_URL: `http://admin:Sup3rSecretPw@127.0.0.1:${port}`, COUCHDB_TIMEOUT_MS: '2000', DATA_DIR: scratch });
    expect(output).toContain(`CouchDB (COUCHDB_URL) at 127.0.0.1:${port}`);
    expect(output).toContain(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(output).not.toContain('Sup3rSecretPw');
  });

  it('a DATA_DIR that cannot be written (the embedded store lives there)', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'not a directory');
    const dataDir = path.join(file, 'data');
    const output = await failedStart({ DATA_DIR: dataDir });
    expect(output).toContain(`Cannot write to ${path.join(dataDir, 'couchdb')}`);
    expect(output).toContain('ENOTDIR');
    expect(output).toContain(`Set DATA_DIR (now ${dataDir}) to a writable directory, or COUCHDB_URL`);
  });

  it('an outbox that cannot be written when SMTP_URL is unset', async () => {
    const dataDir = path.join(scratch, 'outbox-is-a-file');
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'outbox'), 'not a directory');
    const output = await failedStart({ DATA_DIR: dataDir });
    expect(output).toContain(`Cannot write to ${path.join(dataDir, 'outbox')}`);
    expect(output).toContain('as SMTP_URL is unset');
    expect(output).toContain(`Set DATA_DIR (now ${dataDir}) to a writable directory, or SMTP_URL`);
  });

  it('BCRYPT_ROUNDS out of range says the range', () => {
    for (const value of ['3', '32', 'ten', '10.5']) {
      expect(() => loadConfig({ BCRYPT_ROUNDS: value })).toThrowError(`BCRYPT_ROUNDS="${value}": expected a whole number from 4 to 31`);
    }
    expect(loadConfig({ BCRYPT_ROUNDS: '31' }).bcryptRounds).toBe(31);
  });
});
