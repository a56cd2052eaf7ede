// npm run schema:breaking [-- --repo DIR]
// Compares schema.graphql at HEAD with the previous commit's (graphql-inspector) and
// fails on a breaking change, unless HEAD's commit message says `[schema-breaking]`:
// clients generate code from this file, so breaking it must be a decision.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

const { values } = parseArgs({ options: { repo: { type: 'string', default: process.cwd() } } });
const git = (...args: string[]) => execFileSync('git', ['-C', values.repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const atCommit = (commit: string): string | null => {
  try {
    return git('show', `${commit}:schema.graphql`);
  } catch {
    return null; // no such commit, or no schema.graphql in it
  }
};

const previous = atCommit('HEAD~1');
const current = atCommit('HEAD');
if (!previous || !current) {
  process.stdout.write('schema:breaking: nothing to compare (no previous schema.graphql).\n');
  process.exit(0);
}
const changes = await diff(buildSchema(previous), buildSchema(current));
const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
if (breaking.length === 0) {
  process.stdout.write(`schema:breaking: ${changes.length} change(s) since the previous commit, none breaking.\n`);
  process.exit(0);
}
const list = breaking.map((change) => `  - ${change.message}`).join('\n');
if (/\[schema-breaking\]/i.test(git('log', '-1', '--format=%B'))) {
  process.stdout.write(`schema:breaking: breaking changes, marked as intended by [schema-breaking]:\n${list}\n`);
  process.exit(0);
}
process.stderr.write(
  `schema:breaking: schema.graphql breaks clients since the previous commit:\n${list}\nIf that is intended, say [schema-breaking] in the commit message.\n`,
);
process.exit(1);
