import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, Kind, parse, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';
import { run } from './support/processes.js';
import { TEST_ADMIN } from './support/test-config.js';
import { startTestGateway } from './support/test-gateway.js';

const root = path.resolve(import.meta.dirname, '..');
const committedOutput = 'examples/generated/';
const operationsDir = path.join(root, 'examples', 'operations');

async function filesOf(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')] as const)));
}

async function exampleOperations() {
  const files = (await readdir(operationsDir)).filter((name) => name.endsWith('.graphql'));
  const sources = await Promise.all(files.map((name) => readFile(path.join(operationsDir, name), 'utf8')));
  return sources.flatMap((source) => parse(source).definitions).filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
}

/** Root fields selected directly or through inline fragments (fragment spreads are not used at the root). */
function rootFields(selectionSet: SelectionSetNode): string[] {
  return selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : selection.kind === Kind.INLINE_FRAGMENT ? rootFields(selection.selectionSet) : [],
  );
}

describe('graphql-codegen (client preset) over the example operations', () => {
  it('generates exactly the committed examples/generated/', async () => {
    const output = await mkdtemp(path.join(tmpdir(), 'codegen-'));
    try {
      const outputConfig = config.generates[committedOutput];
      expect(outputConfig).toBeDefined();
      await generate({ ...config, cwd: root, generates: { [`${output}/`]: outputConfig! } }, true);
      const generated = await filesOf(output);
      expect(Object.keys(generated)).toEqual(['fragment-masking.ts', 'gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json']);
      // A stale or hand-edited file shows up as a diff here: rerun `npm run codegen`.
      expect(await filesOf(path.join(root, committedOutput))).toEqual(generated);
    } finally {
      await rm(output, { recursive: true, force: true });
    }
  });

  it('persists every operation under sha256:<hex of its document>', async () => {
    const persisted: Record<string, string> = JSON.parse(await readFile(path.join(root, committedOutput, 'persisted-documents.json'), 'utf8'));
    for (const [hash, document] of Object.entries(persisted)) {
      expect(hash).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
    }
    // A document may start with the fragments it spreads: the operation follows them.
    const names = Object.values(persisted).map((document) => /(?:^|[\s}])(?:query|mutation|subscription) (\w+)/.exec(document)?.[1]);
    expect(names.sort()).toEqual((await exampleOperations()).map((operation) => operation.name?.value).sort());
  });

  it('has an example operation for every root field of Query, Mutation and Subscription', async () => {
    const schema = buildSchema(await readFile(path.join(root, 'schema.graphql'), 'utf8'));
    const operations = await exampleOperations();
    const covered = (type: 'query' | 'mutation' | 'subscription') => [
      ...new Set(operations.filter((operation) => operation.operation === type).flatMap((operation) => rootFields(operation.selectionSet))),
    ];
    expect(covered('query').sort()).toEqual(Object.keys(schema.getQueryType()!.getFields()).sort());
    expect(covered('mutation').sort()).toEqual(Object.keys(schema.getMutationType()!.getFields()).sort());
    expect(covered('subscription').sort()).toEqual(Object.keys(schema.getSubscriptionType()!.getFields()).sort());
  });

  it('type-checks the generated code, the example program and codegen.ts (examples/tsconfig.json)', async () => {
    const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
    const result = await promisify(execFile)(tsc, ['--noEmit', '-p', 'examples/tsconfig.json'], { cwd: root }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result).toEqual({ code: 0, stdout: '' });
  });

  it('runs examples/list-users.ts against a gateway and prints the first page of users', async () => {
    const t = await startTestGateway();
    try {
      const { finished } = run('examples/list-users.ts', [], {
        GATEWAY_URL: t.gateway.url,
        GATEWAY_LOGIN: TEST_ADMIN.login,
        GATEWAY_PASSWORD: TEST_ADMIN.password,
      });
      const { code, stdout, stderr } = await finished;
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^1 of 1 users\n/);
      expect(stdout).toMatch(new RegExp(`^${TEST_ADMIN.login}\\t\\S+\\t-\\tACTIVE$`, 'm'));
    } finally {
      await t.close();
    }
  });
});
