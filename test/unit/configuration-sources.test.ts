import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { environmentSchema, loadConfig } from '../../src/config/environment.js';
import { TEST_ADMIN, testConfig } from '../support/test-config.js';

const README = new URL('../../README.md', import.meta.url);

/** The variables the README's configuration table names in its first column (a row may name several). */
async function documentedVariables(): Promise<string[]> {
  const readme = await readFile(README, 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1]!));
}

// One source per setting: the zod schema. The README's table and the test gateways' configuration follow it.
describe('configuration sources', () => {
  it("the README's configuration table names exactly the schema's variables", async () => {
    const documented = await documentedVariables();
    expect(documented.length).toBeGreaterThan(0);
    expect([...new Set(documented)].sort()).toEqual(Object.keys(environmentSchema.shape).sort());
  });

  it('test gateways read their configuration through the same schema as the gateway', () => {
    const config = testConfig('http://127.0.0.1:5984', { introspection: false });
    // The schema's defaults, where tests set nothing…
    const defaults = loadConfig({});
    expect(config.auth).toEqual(defaults.auth);
    expect(config.maxBodyBytes).toBe(defaults.maxBodyBytes);
    // …what tests set, parsed by it…
    expect(config).toMatchObject({ port: 0, bcryptRounds: 4, couch: { kind: 'server', urls: ['http://127.0.0.1:5984'] }, admin: TEST_ADMIN });
    // …and overrides last.
    expect(config.introspection).toBe(false);
  });
});
