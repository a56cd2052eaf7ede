// npm run seed -- --users N [--group GROUP_ID] [--seed S]
// Fills the configured database (COUCHDB_URL, or the embedded store under DATA_DIR)
// with realistic iCure users for demos and benchmarks.
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { z } from 'zod';
import { ConfigurationError, loadConfig } from '../config/environment.js';
import { connectCouch, DataDirInUseError } from '../couch/connection.js';
import { groupIdSchema } from '../users/user-validation.js';
import { SAMPLE_PASSWORD, SampleUsers } from '../users/sample-users.js';
import { DatabaseUserLoaders } from '../users/user-loaders.js';
import { UserRepository } from '../users/user-repository.js';
import { userViews } from '../users/user-views.js';
import { UserWrites } from '../users/user-writes.js';
import { createCliLogger } from './cli-logger.js';

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
    throw new ConfigurationError(`Invalid arguments:\n${parsed.error.issues.map((issue) => `  --${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  }
  const options = parsed.data;
  const config = loadConfig();
  const logger = createCliLogger();
  const couch = await connectCouch(config, userViews, logger);
  const groupId = options.group ?? null;
  const database = couch.databases.nameFor(groupId);
  const samples = new SampleUsers(options.seed);
  // A bar on a terminal; elsewhere (a pipe, a CI log) a plain line every few seconds.
  const bar = new SingleBar(
    {
      format: `seeding ${process.stderr.isTTY ? '{bar} ' : ''}{value}/{total} users ({written} written, {taken} skipped) | {eta_formatted} left`,
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    Presets.shades_classic,
  );
  let written = 0;
  const taken: string[] = [];
  const refused: { id: string; error: string }[] = [];
  try {
    // The uniqueness check reads a view: an index build on a large database comes first.
    if (!(await couch.databases.indexesBuilt(groupId))) return;
    const writes = new UserWrites(new DatabaseUserLoaders(new UserRepository(couch.databases, groupId)), {
      bcryptRounds: config.bcryptRounds,
      reservationGraceMs: config.reservationGraceMs,
    });
    bar.start(options.users, 0, { written, taken: 0 });
    for (let done = 0; done < options.users; ) {
      const batch = Array.from({ length: Math.min(BATCH_SIZE, options.users - done) }, () => samples.next());
      const outcome = await writes.insertNew(batch);
      taken.push(...outcome.taken);
      refused.push(...outcome.refused);
      done += batch.length;
      written += batch.length - outcome.taken.length - outcome.refused.length;
      bar.update(done, { written, taken: taken.length });
    }
  } finally {
    bar.stop();
    await couch.close();
  }
  process.stdout.write(
    `Wrote ${written} users to ${database}; users with a password use "${SAMPLE_PASSWORD}".\n` +
      (taken.length
        ? `Skipped ${taken.length} users whose login or email is taken (a run makes the same users as an earlier run with the same --seed: use another --seed to add different ones).\n`
        : ''),
  );
  if (refused.length) throw new Error(`CouchDB refused ${refused.length} users, e.g. ${refused[0]?.id}: ${refused[0]?.error}`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigurationError || error instanceof DataDirInUseError;
  process.stderr.write(`${known ? error.message : `seed failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exit(1);
});
