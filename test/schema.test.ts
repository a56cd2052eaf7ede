import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType, isIntrospectionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { printedSchema, SCHEMA_FILE } from '../src/schema/printed-schema.js';

const root = path.resolve(import.meta.dirname, '..');

describe('schema.graphql', () => {
  it('is the schema the builder prints, sorted', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('npm run schema:check passes on the committed file and fails on a stale one', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'schema:check'], { cwd: root });
    expect(stdout).toContain('up to date');
    const stale = path.join(await mkdtemp(path.join(tmpdir(), 'schema-')), 'schema.graphql');
    await writeFile(stale, printedSchema().replace('login: String', 'username: String'));
    const failed = await promisify(execFile)('npm', ['run', '-s', 'schema:check', '--', '--file', stale], { cwd: root }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining('out of date') });
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if (isScalarType(type) && !type.description) missing.push(type.name);
    }
    expect(missing).toEqual([]);
  });

  it('exposes no output field that could carry a secret, but the one that creates a token', () => {
    const suspicious: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || isIntrospectionType(type)) continue;
      for (const field of Object.keys(type.getFields())) {
        if (/password|secret|token|hash/i.test(field)) suspicious.push(`${type.name}.${field}`);
      }
    }
    expect(suspicious.sort()).toEqual(
      [
        'CreatedAuthenticationToken.token',
        'Mutation.createAuthenticationToken',
        'Query.authenticationTokenValid',
        'Query.checkPassword',
        'Query.encodePassword',
        'Mutation.requestPasswordReset',
        'Mutation.resetPassword',
        'User.authenticationTokens',
        'User.hasPassword',
      ].sort(),
    );
  });
});

describe('dependencies', () => {
  it('install exactly one graphql', async () => {
    const { stdout } = await promisify(execFile)('npm', ['ls', 'graphql', '--all', '--json'], { cwd: root });
    const versions = new Set<string>();
    const walk = (node: { version?: string; dependencies?: Record<string, any> }, name?: string) => {
      if (name === 'graphql' && node.version) versions.add(node.version);
      for (const [child, value] of Object.entries(node.dependencies ?? {})) walk(value, child);
    };
    walk(JSON.parse(stdout));
    expect([...versions]).toHaveLength(1);
    expect([...versions][0]).toMatch(/^16\./);
  });
});
