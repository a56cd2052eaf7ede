import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSchema, loadConfig } from '../../src/config/environment.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const variables = Object.keys(environmentSchema.shape);

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
    expect(loadConfig({ COUCHDB_URL: 'http://admin:pw@n1:5984, http://admin:pw@n2:5984', TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16, loopback' })).toMatchObject({
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

  it('refuses a feed heartbeat that is not below the staleness bound', () => {
    expect(() => loadConfig({ FEED_HEARTBEAT_MS: '1000', FEED_MAX_LAG_MS: '1000' })).toThrowError(/FEED_HEARTBEAT_MS="1000": must be below FEED_MAX_LAG_MS/);
    expect(loadConfig({ FEED_HEARTBEAT_MS: '500', FEED_MAX_LAG_MS: '2000' }).feed).toEqual({ heartbeatMs: 500, maxLagMs: 2000 });
  });

  it('refuses bad values with one clear line each, and never echoes COUCHDB_URL', () => {
    expect(() => loadConfig({ PORT: 'abc', DB_PREFIX: 'Bad/Prefix', COUCHDB_URL: 'ftp://x' })).toThrowError(
      /PORT="abc": expected a port number[\s\S]*COUCHDB_URL=\(hidden\)[\s\S]*DB_PREFIX="Bad\/Prefix"/,
    );
    expect(() => loadConfig({ COUCHDB_URL: 'ftp://user:S3cr3tValue@x' })).toThrowError(/COUCHDB_URL/);
    expect(() => loadConfig({ COUCHDB_URL: 'ftp://user:S3cr3tValue@x' })).not.toThrowError(/S3cr3tValue/);
  });
});

describe('.env.example', () => {
  // `# NAME=value` (commented out) or `NAME=value` lines.
  const listed = new Map(
    [...readFileSync(path.join(root, '.env.example'), 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1] as string, match[2] as string]),
  );

  it('lists every setting the gateway reads', () => {
    expect(variables.filter((variable) => !listed.has(variable))).toEqual([]);
  });

  it('shows each default as the default, and only valid examples for the settings without one', () => {
    const defaults = loadConfig({});
    for (const [variable, value] of listed) {
      if (!variables.includes(variable)) continue;
      const hasDefault = environmentSchema.shape[variable as keyof typeof environmentSchema.shape].safeParse(undefined).data !== undefined;
      if (hasDefault) expect(loadConfig({ [variable]: value }), `${variable}=${value}`).toEqual(defaults);
      else expect(() => loadConfig({ [variable]: value }), `${variable}=${value}`).not.toThrow();
    }
  });
});

describe("the README's configuration table", () => {
  it('documents every setting', () => {
    const rows = readFileSync(path.join(root, 'README.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(variables.filter((variable) => !rows.some((row) => row.includes(`\`${variable}\``)))).toEqual([]);
  });
});
