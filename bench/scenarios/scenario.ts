import type { DirectCouch } from '../support/couch-direct.js';
import type { HttpLoad, LoadMeasurement } from '../support/load.js';
import type { Check } from '../support/report.js';
import type { BenchSettings } from '../support/settings.js';

/** A server process the bench started, and how to stop it. */
export interface RunningServer {
  /** Origin, e.g. `http://127.0.0.1:4000`. */
  url: string;
  stop(): Promise<void>;
}

/** What a scenario gets from the run: the processes, the data, the settings. */
export interface BenchContext {
  settings: BenchSettings;
  /** The gateway every scenario shares, ready (indexes built). */
  gateway: RunningServer;
  /** The CouchDB the gateway reads, for direct baselines. */
  couch: DirectCouch;
  /** The gateway's default database, `<prefix>-base`. */
  database: string;
  /** Authorization header of the gateway's admin, who may read every user. */
  admin: string;
  /** Live seeded users (up to 1000), empty when the run seeds none. */
  userIds: string[];
  /** Another gateway on the same CouchDB and database, fresh (for memory growth), with more environment if given; the caller stops it. */
  startFreshGateway(name: string, env?: Record<string, string>): Promise<RunningServer>;
  /** The bare graphql-yoga baseline server; the caller stops it. */
  startBareYoga(): Promise<RunningServer>;
  /**
   * Timed measurements of loads to be compared (a figure and its baseline), with the
   * run's connections and duration: each warmed up, then taking turns in rounds.
   */
  measureTogether<Loads extends HttpLoad[]>(...loads: Loads): Promise<{ [K in keyof Loads]: LoadMeasurement }>;
}

export interface ScenarioOutcome {
  checks: Check[];
  measurements: LoadMeasurement[];
  /** Other figures worth keeping in the results file. */
  details?: Record<string, number | string>;
}

export interface Scenario {
  /** For `--only`, e.g. `auth`. */
  name: string;
  /** Whether it reads the seeded users (when none of the selected scenarios does, seeding is skipped). */
  needsSeededUsers: boolean;
  run(context: BenchContext): Promise<ScenarioOutcome>;
}
