// npm run bench [-- --only user-by-id,auth] [-- --cpu-prof /tmp/prof]
//
// Starts the CouchDB-compatible store (or, with BENCH_STORE=couchdb, a real CouchDB from
// ../shared/couchdb; neither when COUCHDB_URL is set), seeds it with the
// project's seeding command, starts the gateway, and measures every scenario against
// a baseline of the same run: on a shared 2-core machine only ratios mean something.
// Store, gateway and load generator run in separate processes, so they do not share
// an event loop. Exits 0 when everything ran, even when a target is missed; non-zero
// when something failed (an error, a non-2xx response, a GraphQL error).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { auth } from './scenarios/auth.js';
import { cacheMemory } from './scenarios/cache-memory.js';
import { memory } from './scenarios/memory.js';
import { overhead } from './scenarios/overhead.js';
import { pagination } from './scenarios/pagination.js';
import { staleness } from './scenarios/staleness.js';
import { subscriptions } from './scenarios/subscriptions.js';
import type { BenchContext, RunningServer, Scenario } from './scenarios/scenario.js';
import { userById } from './scenarios/user-by-id.js';
import { usersByIds } from './scenarios/users-by-ids.js';
import { DirectCouch } from './support/couch-direct.js';
import { summarizeProfiles } from './support/cpu-profile.js';
import { basicAuthorization } from './support/graphql-client.js';
import { measureInterleaved, type HttpLoad, type LoadMeasurement } from './support/load.js';
import { accountCpuOf, cpuSecondsByProcess, PROJECT_ROOT, seedUsers, startBareYoga, startGatewayProcess, startStore, waitUntilReady } from './support/processes.js';
import { checksTable, formatNumber, machine, measurementsTable, type Check, writeResults } from './support/report.js';
import { readSettings } from './support/settings.js';
import { SHARED_COUCHDB, startSharedCouchdb } from './support/shared-couchdb.js';

const SCENARIOS: Scenario[] = [userById, usersByIds, pagination, auth, overhead, staleness, memory, cacheMemory, subscriptions];
const ADMIN = { login: 'bench-admin', password: 'bench-admin-password' };
/** Seeded users the scenarios may read by id. */
const USER_IDS_WANTED = 1000;
const READY_TIMEOUT_MS = 60 * 60_000;
const GATEWAY_DESIGN_DOCUMENT = '_design/icure-user-gateway';

const startedAt = new Date();
const settings = readSettings();
const selected = settings.only ? settings.only.map(scenarioNamed) : SCENARIOS;
const needsSeededUsers = selected.some((scenario) => scenario.needsSeededUsers);

const runDirectory = await mkdtemp(path.join(os.tmpdir(), 'icure-bench-'));
/** Undone in reverse order at the end, whatever happens: processes stopped, databases deleted. */
const cleanups: (() => Promise<unknown>)[] = [];
const measurements: LoadMeasurement[] = [];
const checks: Check[] = [];
const details: Record<string, unknown> = {};
const errors: string[] = [];
/** Pids of the processes started, to title their CPU profiles. */
const processNames = new Map<number, string>();
const profileFlags = settings.cpuProfileDirectory ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(settings.cpuProfileDirectory)] : [];

const { cpus, cpuModel, node } = machine();
console.log(`icure-user-gateway benchmark: ${cpus} CPUs (${cpuModel}), Node ${node}`);
console.log(
  `scenarios: ${selected.map((scenario) => scenario.name).join(', ')}; users ${needsSeededUsers ? settings.users : 0}, ` +
    `${settings.seconds} s per measurement (in ${settings.rounds} rounds) after ${settings.warmupSeconds} s of warm-up, ${settings.connections} connections`,
);
console.log(`process logs: ${runDirectory}`);

try {
  let couchUrl = settings.couchUrl;
  if (couchUrl) {
    console.log('CouchDB: COUCHDB_URL');
  } else if (settings.storage === 'couchdb') {
    const couchdb = await startSharedCouchdb(settings.couchdbPort, path.join(runDirectory, 'couchdb'));
    accountCpuOf('store', couchdb.pid);
    cleanups.push(() => couchdb.stop());
    couchUrl = couchdb.url;
    console.log(`CouchDB: Apache CouchDB 3.5 (single node, from ${SHARED_COUCHDB}) on port ${settings.couchdbPort}, process ${couchdb.pid}`);
  } else {
    const storage = settings.storage === 'leveldb' ? { kind: 'leveldb' as const, directory: path.join(runDirectory, 'leveldb') } : { kind: 'memory' as const };
    const store = await startStore(runDirectory, storage, profileFlags);
    processNames.set(store.process.pid, 'store');
    cleanups.push(() => store.process.stop());
    couchUrl = store.url;
    console.log(`CouchDB: the embedded store (${settings.storage}) in process ${store.process.pid}`);
  }
  const couch = new DirectCouch(couchUrl);
  const dbPrefix = `bench${Date.now().toString(36)}`;
  const database = `${dbPrefix}-base`;
  if (settings.couchUrl) cleanups.push(() => couch.deleteDatabase(database));

  if (needsSeededUsers) {
    const seedingStarted = performance.now();
    await seedUsers({ couchUrl, dbPrefix, users: settings.users, logFile: path.join(runDirectory, 'seed.log') });
    details.seedSeconds = (performance.now() - seedingStarted) / 1000;
    console.log(`seeded ${settings.users} users into ${database} in ${(details.seedSeconds as number).toFixed(1)} s`);
    // The gateway's start-up (first-admin check, then its creation) reads views within
    // COUCHDB_TIMEOUT_MS (10 s): on a freshly seeded database the index builds take
    // longer and the gateway exits with SERVICE_UNAVAILABLE. So they are built here, by
    // the same queries the gateway's background build makes (the seeding command
    // installed the design document).
    const indexingStarted = performance.now();
    const views = await couch.buildViewIndexes(database, GATEWAY_DESIGN_DOCUMENT);
    details.indexSeconds = (performance.now() - indexingStarted) / 1000;
    console.log(`built the indexes of ${views.length} views in ${(details.indexSeconds as number).toFixed(1)} s`);
  }

  const startGateway = async (name: string, env?: Record<string, string>): Promise<RunningServer> => {
    const gateway = await startGatewayProcess({
      env,
      couchUrl: couchUrl!,
      dbPrefix,
      adminLogin: ADMIN.login,
      adminPassword: ADMIN.password,
      logFile: path.join(runDirectory, `${name}.log`),
      nodeFlags: profileFlags,
    });
    processNames.set(gateway.process.pid, name);
    const stop = () => gateway.process.stop();
    cleanups.push(stop);
    await waitUntilReady(gateway, READY_TIMEOUT_MS);
    return { url: gateway.url, stop };
  };
  const readyStarted = performance.now();
  const gateway = await startGateway('gateway');
  details.gatewayReadySeconds = (performance.now() - readyStarted) / 1000;
  console.log(`gateway ready at ${gateway.url} after ${(details.gatewayReadySeconds as number).toFixed(1)} s (indexes built)`);

  const context: BenchContext = {
    settings,
    gateway,
    couch,
    database,
    admin: basicAuthorization(ADMIN.login, ADMIN.password),
    userIds: needsSeededUsers ? await couch.liveUserIds(database, USER_IDS_WANTED) : [],
    startFreshGateway: startGateway,
    startBareYoga: async () => {
      const bare = await startBareYoga(runDirectory, profileFlags);
      processNames.set(bare.process.pid, 'bare-yoga');
      const stop = () => bare.process.stop();
      cleanups.push(stop);
      return { url: bare.url, stop };
    },
    measureTogether: <Loads extends HttpLoad[]>(...loads: Loads) => measureInterleaved<Loads>(loads, { ...settings, cpuSeconds: cpuSecondsByProcess }),
  };

  for (const scenario of selected) {
    console.log(`\n▶ ${scenario.name}`);
    try {
      const outcome = await scenario.run(context);
      measurements.push(...outcome.measurements);
      checks.push(...outcome.checks);
      if (outcome.details) details[scenario.name] = outcome.details;
      console.log(measurementsTable(outcome.measurements));
      if (outcome.details)
        console.log(
          Object.entries(outcome.details)
            .map(([key, value]) => `${key}: ${typeof value === 'number' ? formatNumber(value) : value}`)
            .join(', '),
        );
      for (const row of outcome.checks)
        console.log(`${row.met ? 'met' : 'MISSED'}: ${row.scenario}: ${row.value.toFixed(3)}${row.target.unit} (target ${row.target.comparison} ${row.target.bound})`);
    } catch (error) {
      errors.push(`${scenario.name}: ${error instanceof Error ? error.message : String(error)}`);
      console.error(`✗ ${scenario.name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
} catch (error) {
  errors.push(error instanceof Error ? error.message : String(error));
  console.error(`✗ ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error: unknown) => errors.push(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
  }
}

const failedMeasurements = measurements.filter((m) => m.failures > 0);
for (const m of failedMeasurements) errors.push(`${m.label}: ${m.failures} failed requests (non-2xx, GraphQL errors or connection errors)`);

console.log(`\nAll measurements\n${measurementsTable(measurements)}`);
console.log(`\nSummary: each figure against a baseline of the same run\n${checksTable(checks)}`);
const missed = checks.filter((row) => !row.met);
if (missed.length) console.log(`\nMISSED ${missed.length} of ${checks.length} targets: ${missed.map((row) => row.scenario).join('; ')}`);
else if (checks.length) console.log(`\nAll ${checks.length} targets met.`);

const resultsFile = await writeResults(startedAt, {
  scenarios: selected.map((scenario) => scenario.name),
  settings: { ...settings, couchUrl: settings.couchUrl ? '(set)' : null },
  checks,
  measurements,
  details,
  errors,
});
console.log(`results written to ${path.relative(process.cwd(), resultsFile)}`);

if (settings.cpuProfileDirectory) await summarizeProfiles(path.resolve(settings.cpuProfileDirectory), PROJECT_ROOT, processNames);

if (errors.length) {
  console.error(`\nFAILED:\n${errors.map((error) => `  ${error}`).join('\n')}\nprocess logs kept in ${runDirectory}`);
  process.exit(1);
}
await rm(runDirectory, { recursive: true, force: true });
process.exit(0);

function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`unknown scenario ${JSON.stringify(name)}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}
