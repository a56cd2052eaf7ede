// npm run lint:imports — checks src/ and test/unit/ against the import rules of .dependency-cruiser.cjs.
// dependency-cruiser's default parser is TypeScript's compiler API, which TypeScript 7
// (the Go port) does not have: it then reads no module and every rule "passes". The
// configuration asks for swc, and this check also fails when no module was read.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ICruiseResult } from 'dependency-cruiser';

// dependency-cruiser runs in processes of its own: under tsx's loader it cannot load swc.
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/dependency-cruiser/bin/${name}`, import.meta.url));
const run = (name: string, args: string[], input?: string) =>
  spawnSync(process.execPath, [bin(name), ...args], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

const cruise = run('dependency-cruise.mjs', ['src', 'test/unit', '--config', '.dependency-cruiser.cjs', '--output-type', 'json']);
if (cruise.status !== 0) {
  process.stderr.write(`lint:imports: dependency-cruiser failed\n${cruise.stderr || cruise.error?.message || ''}\n`);
  process.exit(1);
}
const report = run('depcruise-fmt.mjs', ['--output-type', 'err-long', '--exit-code', '-'], cruise.stdout);
process.stdout.write(report.stdout);
process.stderr.write(report.stderr);
if ((JSON.parse(cruise.stdout) as ICruiseResult).summary.totalCruised === 0) {
  process.stderr.write(
    'lint:imports: no module was read (see the parser and excludes of .dependency-cruiser.cjs; is @swc/core installed?): the import rules checked nothing.\n',
  );
  process.exit(1);
}
process.exit(report.status === 0 ? 0 : 1);
