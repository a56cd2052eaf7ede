// npm run lint:imports — checks src/ and test/unit/ against the import rules of .dependency-cruiser.cjs.
// dependency-cruiser's default parser is TypeScript's compiler API, which TypeScript 7
// (the Go port) does not have: it then reads no module and every rule "passes". The
// configuration asks for swc, and this check also fails when no module was read.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { format, type ICruiseResult } from 'dependency-cruiser';

// The cruise runs in a process of its own: under tsx's loader, dependency-cruiser cannot load swc.
const depcruise = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));
const cruise = spawnSync(process.execPath, [depcruise, 'src', 'test/unit', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
if (cruise.status !== 0) {
  process.stderr.write(`lint:imports: dependency-cruiser failed\n${cruise.stderr || cruise.error?.message || ''}\n`);
  process.exit(1);
}
const result = JSON.parse(cruise.stdout) as ICruiseResult;
const report = await format(result, { outputType: 'err-long' });
process.stdout.write(report.output as string);
if (result.summary.totalCruised === 0) {
  process.stderr.write(
    'lint:imports: no module was read (see the parser and excludes of .dependency-cruiser.cjs; is @swc/core installed?): the import rules checked nothing.\n',
  );
  process.exit(1);
}
process.exit(report.exitCode === 0 ? 0 : 1);
