// npm run seed -- --users N [--group GROUP_ID] [--seed S]
// Fills the configured database (COUCHDB_URL, or the embedded store under DATA_DIR)
// with realistic iCure users for demos and benchmarks.
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import pino from 'pino';
import { z } from 'zod';
import { ConfigurationError, loadConfig } from '../config/environment.js';
import { connectCouch } from '../couch/connection.js';
import { groupIdSchema } from '../users/user-validation.js';
import { SAMPLE_PASSWORD, SampleUsers } from '../users/sample-users.js';
import { UserRepository } from '../users/user-repository.js';
import { userViews } from '../users/user-views.js';

const BATCH_SIZE = 500;

const optionsSchema = z.object({
  users: z.coerce.number({ message: 'expected a number' }).int().min(1).max(10_000_000),
  group: groupIdSchema.optional(),
  seed: z.coerce.number({ message: 'expected a number' }).int().default(1),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '1000' }, group: { type: 'string' }, seed: { type: 'string' } },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigurationError(
      `Invalid arguments:\n${parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`).join('\n')}`,
    );
  }
  const options = parsed.data;
  const config = loadConfig();
  const couch = await connectCouch(config, userViews, pino({ level: 'warn' }));
  const repository = new UserRepository(couch.databases, options.group ?? null);
  const samples = new SampleUsers(options.seed);
  const bar = new SingleBar({ format: 'seeding {bar} {value}/{total} users | {eta_formatted} left' }, Presets.shades_classic);
  const refused: { id: string; error: string }[] = [];
  try {
    bar.start(options.users, 0);
    for (let written = 0; written < options.users; ) {
      const batch = Array.from({ length: Math.min(BATCH_SIZE, options.users - written) }, () => samples.next());
      refused.push(...(await repository.insertMany(batch)));
      written += batch.length;
      bar.update(written);
    }
  } finally {
    bar.stop();
    await couch.close();
  }
  const database = couch.databases.nameFor(options.group);
  process.stdout.write(
    `Wrote ${options.users - refused.length} users to ${database}; users with a password use "${SAMPLE_PASSWORD}".\n`,
  );
  if (refused.length) throw new Error(`CouchDB refused ${refused.length} users, e.g. ${refused[0]?.id}: ${refused[0]?.error}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigurationError ? error.message : `seed failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
});
