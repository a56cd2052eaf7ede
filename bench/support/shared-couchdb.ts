import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './processes.js';

const run = promisify(execFile);

/** The Apache CouchDB 3.5 release beside the project, with its start and stop scripts (see its README). */
export const SHARED_COUCHDB = path.resolve(PROJECT_ROOT, '..', 'shared', 'couchdb');

/**
 * A real single-node CouchDB from ../shared/couchdb on `port`, its data under
 * `directory`: resolves with its URL (credentials included) and pid once it answers.
 */
export async function startSharedCouchdb(port: number, directory: string) {
  if (!existsSync(path.join(SHARED_COUCHDB, 'start.sh'))) throw new Error(`BENCH_STORE=couchdb needs ${SHARED_COUCHDB}/start.sh`);
  const { stdout } = await run('bash', [path.join(SHARED_COUCHDB, 'start.sh'), '--port', String(port), '--data', directory]);
  const url = /^COUCHDB_URL=(\S+)$/m.exec(stdout)?.[1];
  if (!url) throw new Error(`start.sh printed no COUCHDB_URL: ${stdout}`);
  const pid = Number((await readFile(path.join(directory, 'couchdb.pid'), 'utf8')).trim());
  return {
    url,
    pid,
    stop: () => run('bash', [path.join(SHARED_COUCHDB, 'stop.sh'), directory, '--wipe']),
  };
}
