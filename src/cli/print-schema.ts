// npm run schema:print — writes schema.graphql from the builder.
// npm run schema:check — fails when the committed schema.graphql differs.
import { readFile, writeFile } from 'node:fs/promises';
import { printedSchema, SCHEMA_FILE } from '../schema/printed-schema.js';

const printed = printedSchema();
if (process.argv.includes('--check')) {
  const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
  if (committed !== printed) {
    process.stderr.write('schema.graphql is out of date with the schema the code builds: run `npm run schema:print` and commit it.\n');
    process.exit(1);
  }
  process.stdout.write('schema.graphql is up to date.\n');
} else {
  await writeFile(SCHEMA_FILE, printed);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
