import { parseArgs } from 'node:util';

/** What one run measures and how hard; sizes come from the environment so that a quick run is possible. */
export interface BenchSettings {
  /** Users seeded with the project's seeding command. */
  users: number;
  /** Length of each measurement, and of the warm-up before it. */
  seconds: number;
  warmupSeconds: number;
  /** A figure and its baseline take turns this many times within their measurement. */
  rounds: number;
  /** Concurrent connections of every measurement, figure and baseline alike. */
  connections: number;
  /** Requests the memory scenario sends before reading the gateway's RSS the second time. */
  memoryRequests: number;
  /** SSE subscriptions the subscriptions scenario holds open. */
  subscribers: number;
  /** Writes per second the subscriptions scenario makes straight into CouchDB. */
  writeRate: number;
  /** An existing CouchDB to use instead of starting the embedded store. */
  couchUrl: string | null;
  /** The store started when no COUCHDB_URL is given: the embedded one (in memory or leveldb), or a real CouchDB from ../shared/couchdb. */
  storage: 'memory' | 'leveldb' | 'couchdb';
  /** Port of the real CouchDB started for `storage: 'couchdb'`. */
  couchdbPort: number;
  /** Names of the scenarios to run; all when null. */
  only: string[] | null;
  /** When set, gateway processes run with `--cpu-prof` and write their profiles here. */
  cpuProfileDirectory: string | null;
}

/** Reads `BENCH_*` variables and the command line (`--only name[,name]`, `--cpu-prof DIR`). */
export function readSettings(argv = process.argv.slice(2), env = process.env): BenchSettings {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string', multiple: true }, 'cpu-prof': { type: 'string' } },
  });
  const seconds = positive(env, 'BENCH_SECONDS', 10);
  const storage = env.BENCH_STORE ?? 'memory';
  if (storage !== 'memory' && storage !== 'leveldb' && storage !== 'couchdb') {
    throw new Error(`BENCH_STORE must be memory, leveldb or couchdb, not ${JSON.stringify(storage)}`);
  }
  return {
    users: positive(env, 'BENCH_USERS', 100_000),
    seconds,
    warmupSeconds: positive(env, 'BENCH_WARMUP_SECONDS', Math.min(3, seconds)),
    rounds: Math.round(positive(env, 'BENCH_ROUNDS', 2)),
    connections: positive(env, 'BENCH_CONNECTIONS', 16),
    memoryRequests: positive(env, 'BENCH_MEMORY_REQUESTS', 100_000),
    subscribers: Math.round(positive(env, 'BENCH_SUBSCRIBERS', 10_000)),
    writeRate: positive(env, 'BENCH_WRITE_RATE', 100),
    couchUrl: env.COUCHDB_URL?.trim() || null,
    storage,
    couchdbPort: positive(env, 'BENCH_COUCHDB_PORT', 25986),
    only: values.only
      ? values.only
          .flatMap((names) => names.split(','))
          .map((name) => name.trim())
          .filter(Boolean)
      : null,
    cpuProfileDirectory: values['cpu-prof'] ?? null,
  };
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(text)}`);
  return value;
}
