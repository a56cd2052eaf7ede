import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

describe('npm run schema:breaking', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args]);
  async function commit(schema: string, message: string) {
    await writeFile(path.join(repo, 'schema.graphql'), schema);
    git('add', 'schema.graphql');
    git('commit', '-q', '-m', message);
  }
  const check = () =>
    promisify(execFile)('npm', ['run', '-s', 'schema:breaking', '--', '--repo', repo], { cwd: root }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
    );

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'schema-git-'));
    git('init', '-q');
    await commit('type Query { user(id: ID!): User }\ntype User { id: ID! login: String }\n', 'first');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it('passes an additive change', async () => {
    await commit('type Query { user(id: ID!): User }\ntype User { id: ID! login: String email: String }\n', 'add email');
    expect(await check()).toMatchObject({ code: 0, output: expect.stringContaining('none breaking') });
  });

  it('fails a removed field, naming it', async () => {
    await commit('type Query { user(id: ID!): User }\ntype User { id: ID! email: String }\n', 'drop login');
    expect(await check()).toMatchObject({ code: 1, output: expect.stringContaining("Field 'login' was removed from object type 'User'") });
  });

  it('passes it when the commit message marks it intended', async () => {
    git('commit', '-q', '--amend', '-m', 'drop login [schema-breaking]');
    expect(await check()).toMatchObject({ code: 0, output: expect.stringContaining('marked as intended') });
  });
});
