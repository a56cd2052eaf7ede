import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/environment.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './support/test-couch.js';
import { run, startMain } from './support/processes.js';
import { basic, postGraphQL, uniquePrefix } from './support/test-gateway.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-test-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('configuration', () => {
  it('has the contract defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      couch: { kind: 'embedded', storage: { kind: 'leveldb', directory: path.resolve('data', 'couchdb') } },
      dbPrefix: 'icure',
      logLevel: 'info',
      bcryptRounds: 10,
      introspection: true,
    });
    expect(loadConfig({ COUCHDB_URL: 'http://admin:pw@db:5984', INTROSPECTION: 'false', PORT: '' })).toMatchObject({
      couch: { kind: 'server', urls: ['http://admin:pw@db:5984'] },
      introspection: false,
      port: 4000,
    });
  });

  it('takes the nodes of a cluster and trusted proxies as comma-separated lists', () => {
    expect(
      loadConfig({ COUCHDB_URL: 'http://admin:pw@n1:5984, http://admin:pw@n2:5984', TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16, loopback' }),
    ).toMatchObject({
      couch: { kind: 'server', urls: ['http://admin:pw@n1:5984', 'http://admin:pw@n2:5984'] },
      trustedProxies: ['10.0.0.1', '192.168.0.0/16', 'loopback'],
    });
    expect(() => loadConfig({ COUCHDB_URL: 'http://admin:pw@n1:5984,http://admin:other@n2:5984' })).toThrowError(
      /COUCHDB_URL=\(hidden\): the nodes of one cluster need the same credentials and path/,
    );
    expect(() => loadConfig({ COUCHDB_URL: 'http://admin:S3cr3tValue@n1:5984,ftp://n2' })).toThrowError(/COUCHDB_URL=\(hidden\): expected http\(s\) URLs/);
    expect(() => loadConfig({ COUCHDB_URL: 'http://admin:S3cr3tValue@n1:5984,ftp://n2' })).not.toThrowError(/S3cr3tValue/);
    expect(() => loadConfig({ COUCHDB_URL: 'http://n1:5984,http://n1:5984/' })).toThrowError(/a node is named twice/);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,not-an-address' })).toThrowError(/TRUSTED_PROXIES="10.0.0.1,not-an-address": expected IP addresses or CIDRs/);
  });

  it('refuses bad values with one clear line each, and never echoes COUCHDB_URL', () => {
    expect(() => loadConfig({ PORT: 'abc', DB_PREFIX: 'Bad/Prefix', COUCHDB_URL: 'ftp://x' })).toThrowError(
      /PORT="abc": expected a port number[\s\S]*COUCHDB_URL=\(hidden\)[\s\S]*DB_PREFIX="Bad\/Prefix"/,
    );
    expect(() => loadConfig({ COUCHDB_URL: 'ftp://user:S3cr3tValue@x' })).toThrowError(/COUCHDB_URL/);
    expect(() => loadConfig({ COUCHDB_URL: 'ftp://user:S3cr3tValue@x' })).not.toThrowError(/S3cr3tValue/);
  });

  it('npm start with PORT=abc exits 1 with the reason and no stack trace', async () => {
    const { code, stderr } = await run('src/main.ts', [], { PORT: 'abc', DATA_DIR: dataDir }).finished;
    expect(code).toBe(1);
    expect(stderr).toContain('PORT="abc": expected a port number');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a bare machine', () => {
  it('starts with the embedded store, creates the first admin with a password shown once, keeps data across restarts, stops on SIGTERM', async () => {
    const env = { DATA_DIR: dataDir, DB_PREFIX: 'demo' };
    const seeded = await run('src/cli/seed.ts', ['--users', '120', '--seed', '7'], env).finished;
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toContain('Wrote 120 users to demo-base');

    let adminPassword = '';
    for (let start = 0; start < 2; start++) {
      const gateway = await startMain(env);
      try {
        const announced = /First admin created: login "admin", password "([^"]+)"/.exec(gateway.stdout());
        if (start === 0) adminPassword = announced?.[1] ?? '';
        else expect(announced).toBeNull();
        expect(adminPassword).toMatch(/^[\w-]{20,}$/);
        expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
        const response = await postGraphQL(gateway.url, '{ users(skipPatients: false) { totalCount } }', undefined, basic('admin', adminPassword));
        expect(response.errors).toBeUndefined();
        expect(response.data.users.totalCount).toBeGreaterThan(90);
      } finally {
        gateway.child.kill('SIGTERM');
      }
      const finished = await gateway.finished;
      expect(finished.code).toBe(0);
      // The password reaches the console once, never a log line.
      const logLines = finished.stdout.split('\n').filter((line) => line.startsWith('{'));
      expect(logLines.join('\n')).not.toContain(adminPassword);
    }
  });
});

describe('seeding', () => {
  let couch: TestCouch;
  beforeAll(async () => {
    couch = await startTestCouch();
  });
  afterAll(() => couch.close());

  it('fills the configured CouchDB with realistic iCure users', async () => {
    const prefix = uniquePrefix();
    const result = await run('src/cli/seed.ts', ['--users', '400', '--group', 'g1'], { COUCHDB_URL: couch.url, DB_PREFIX: prefix }).finished;
    expect(result.code, result.stderr).toBe(0);
    const admin = new CouchAdmin(couch.url);
    const db = `${prefix}-g1-base`;
    const users = (await admin.allDocs(db)).filter((doc: any) => !doc._id.startsWith('_design/'));
    expect(users).toHaveLength(400);
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
