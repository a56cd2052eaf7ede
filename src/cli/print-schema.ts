// npm run schema:print — writes schema.graphql from the builder.
// npm run schema:check — fails when the committed schema.graphql differs.
// --file PATH compares with or writes another file.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { printedSchema, SCHEMA_FILE } from '../schema/printed-schema.js';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, file: { type: 'string', default: SCHEMA_FILE } } });
const printed = printedSchema();
if (values.check) {
  const committed = await readFile(values.file, 'utf8').catch(() => '');
  if (committed !== printed) {
    process.stderr.write(`${values.file} is out of date with the schema the code builds: run \`npm run schema:print\` and commit it.\n`);
    process.exit(1);
  }
  process.stdout.write(`${values.file} is up to date.\n`);
} else {
  await writeFile(values.file, printed);
  process.stdout.write(`wrote ${values.file}\n`);
}
