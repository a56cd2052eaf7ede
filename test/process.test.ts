import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PASSWORD } from '../src/users/sample-users.js';
import { RESERVATION_JAVA_TYPE } from '../src/users/identifier-reservations.js';
import { USER_JAVA_TYPE } from '../src/users/stored-user.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './support/test-couch.js';
import { run, startMain } from './support/processes.js';
import { uniquePrefix } from './support/test-config.js';
import { basic, postGraphQL } from './support/test-gateway.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-test-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('configuration', () => {
  it('npm start with PORT=abc exits 1 with the reason and no stack trace', async () => {
    const { code, stderr } = await run('src/main.ts', [], { PORT: 'abc', DATA_DIR: dataDir }).finished;
    expect(code).toBe(1);
    expect(stderr).toContain('PORT="abc": expected a port number');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a bare machine', () => {
  it('seeds twice without duplicates, starts on a database whose index build outlasts COUCHDB_TIMEOUT_MS, shows the first admin password on stderr once, keeps data across restarts, stops on SIGTERM', async () => {
    const env = { DATA_DIR: dataDir, DB_PREFIX: 'demo' };
    const seeded = await run('src/cli/seed.ts', ['--users', '2000', '--seed', '7'], env).finished;
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('Wrote 2000 users to demo-base');
    // Not a terminal: plain progress lines, no bar.
    expect(seeded.stderr).toContain('seeding 2000/2000 users (2000 written, 0 skipped)');

    let adminPassword = '';
    for (let start = 0; start < 2; start++) {
      const gateway = await startMain(
        start === 0
          ? // Far below the index build's duration: the gateway waits for the build all the same.
            { ...env, COUCHDB_TIMEOUT_MS: '500' }
          : { ...env, ADMIN_PASSWORD: 'not-the-first-admin-password' },
      );
      try {
        if (start === 0) {
          const building = await fetch(`${gateway.url}/ready`);
          expect(building.status).toBe(503);
          expect(await building.json()).toMatchObject({ ready: false, reason: 'building indexes' });
        }
        expect(await (await fetch(`${gateway.url}/health`)).json()).toEqual({ status: 'ok' });
        await gateway.ready();
        const announced = /First admin created: login "admin", password "([^"]+)"/.exec(gateway.stderr());
        if (start === 0) adminPassword = announced?.[1] ?? '';
        else expect(announced).toBeNull();
        expect(adminPassword).toMatch(/^[\w-]{20,}$/);
        const me = await postGraphQL(gateway.url, '{ currentUser { login } }', undefined, basic('admin', adminPassword));
        expect(me.data?.currentUser.login).toBe('admin');
        if (start === 0) await seedTheRunningGateway(gateway, env);
        else {
          const response = await postGraphQL(gateway.url, '{ users(skipPatients: false) { totalCount } }', undefined, basic('admin', adminPassword));
          expect(response.errors).toBeUndefined();
          expect(response.data.users.totalCount).toBeGreaterThan(1800);
        }
      } finally {
        gateway.child.kill('SIGTERM');
      }
      const finished = await gateway.finished;
      expect(finished.code).toBe(0);
      // The password reaches the terminal once, never a log line.
      const logLines = finished.stdout.split('\n').filter((line) => line.startsWith('{'));
      expect(logLines.join('\n')).not.toContain(adminPassword);
      const logged = logLines.map((line) => JSON.parse(line) as { level: number; msg: string });
      if (start === 0) {
        expect(logged.some(({ msg }) => msg.startsWith('building index _design/icure-user-gateway of demo-base'))).toBe(true);
        expect(logged.some(({ msg }) => /^built index _design\/icure-user-gateway of demo-base in [\d.]+ s$/.test(msg))).toBe(true);
      } else {
        expect(logged.filter(({ level }) => level === 40).map(({ msg }) => msg)).toContainEqual(expect.stringMatching(/^ADMIN_PASSWORD is set but not applied/));
      }
    }
  }, 240_000);
});

/**
 * While a gateway holds DATA_DIR, the seed says so (no leveldb stack trace) and how to
 * reach the gateway's store instead; through it, a second run respects the same uniqueness.
 */
async function seedTheRunningGateway(gateway: Awaited<ReturnType<typeof startMain>>, env: Record<string, string>) {
  const storeUrl = /Embedded store: (http:\/\/[\d.:]+)/.exec(gateway.stderr())?.[1] ?? '';
  expect(storeUrl).not.toBe('');
  const locked = await run('src/cli/seed.ts', ['--users', '10'], env).finished;
  expect(locked.code).toBe(1);
  expect(locked.stderr).toContain(`DATA_DIR is in use by a running gateway (${dataDir}): stop it, or reach its data through its store with COUCHDB_URL=${storeUrl}`);
  expect(locked.stderr).not.toMatch(/\n\s+at /);
  // The same seed again makes the same users: those with a login or email are skipped, the soft-deleted ones (which hold none) written.
  const through = await run('src/cli/seed.ts', ['--users', '2000', '--seed', '7'], { ...env, COUCHDB_URL: storeUrl }).finished;
  expect(through.code, through.stderr).toBe(0);
  expect(Number(/Skipped (\d+) users whose login or email is taken/.exec(through.stdout)?.[1])).toBeGreaterThan(1800);

  const live = (await new CouchAdmin(storeUrl).allDocs('demo-base')).filter((doc) => doc.java_type === USER_JAVA_TYPE && !doc.deleted);
  for (const kind of ['login', 'email']) {
    const values = live.map((user) => user[kind]).filter(Boolean);
    expect(new Set(values).size, `duplicate ${kind}s`).toBe(values.length);
  }
  const demo = live.find((user) => user.status === 'ACTIVE' && user.passwordHash && user.login);
  const me = await postGraphQL(gateway.url, '{ currentUser { login } }', undefined, basic(demo.login, SAMPLE_PASSWORD));
  expect(me.data?.currentUser.login).toBe(demo.login);
}

describe('seeding', () => {
  let couch: TestCouch;
  beforeAll(async () => {
    couch = await startTestCouch();
  });
  afterAll(() => couch.close());

  it('fills the configured CouchDB with realistic iCure users, with the uniqueness of createUser when run again', async () => {
    const prefix = uniquePrefix();
    const seed = () => run('src/cli/seed.ts', ['--users', '400', '--group', 'g1'], { COUCHDB_URL: couch.url, DB_PREFIX: prefix }).finished;
    const result = await seed();
    expect(result.code, result.stderr).toBe(0);
    const admin = new CouchAdmin(couch.url);
    const db = `${prefix}-g1-base`;
    const users = (await admin.allDocs(db)).filter((doc: any) => doc.java_type === USER_JAVA_TYPE);
    expect(users).toHaveLength(400);
    // Each login and email is reserved, as createUser reserves them.
    const reservations = (await admin.allDocs(db)).filter((doc: any) => doc.java_type === RESERVATION_JAVA_TYPE);
    expect(reservations.length).toBe(users.filter((user: any) => !user.deleted).flatMap((user: any) => [user.login, user.email].filter(Boolean)).length);

    // The same seed again: the same logins and emails, all taken; only soft-deleted users (holding none) are written.
    const second = await seed();
    expect(second.code, second.stderr).toBe(0);
    const after = (await admin.allDocs(db)).filter((doc: any) => doc.java_type === USER_JAVA_TYPE);
    const live = after.filter((user: any) => !user.deleted);
    expect(live.length).toBe(users.filter((user: any) => !user.deleted).length);
    for (const kind of ['login', 'email']) {
      const values = live.map((user: any) => user[kind]).filter(Boolean);
      expect(new Set(values).size, `duplicate ${kind}s`).toBe(values.length);
    }
    expect(second.stdout).toContain(`Wrote ${after.length - users.length} users to ${db}`);
    expect(second.stdout).toContain(`Skipped ${live.length} users whose login or email is taken`);
    for (const user of users) expect(user).toMatchObject({ java_type: 'org.taktik.icure.entities.User', status: expect.any(String), created: expect.any(Number) });
    const count = (predicate: (user: any) => boolean) => users.filter(predicate).length;
    expect(count((user) => user.healthcarePartyId)).toBeGreaterThan(100);
    expect(count((user) => user.patientId && !user.healthcarePartyId)).toBeGreaterThan(100);
    expect(count((user) => user.deleted)).toBeGreaterThan(2);
    const logins: string[] = users.map((user: any) => user.login);
    expect(new Set(logins).size).toBe(logins.length);
    expect(logins.some((login) => logins.some((other) => other !== login && other.startsWith(login)))).toBe(true);
    // Passwords are stored the way iCure stores them: {salt}sha256(password{salt}).
    const hashed = users.find((user: any) => user.passwordHash);
    const [, salt, digest] = /^\{(.+)\}([0-9a-f]{64})$/.exec(hashed.passwordHash) ?? [];
    expect(createHash('sha256').update(`demo-password{${salt}}`).digest('hex')).toBe(digest);
    await admin.deleteDatabase(db);
    await admin.deleteDatabase(`${prefix}-base`);
  });
});
