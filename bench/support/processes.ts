import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The project root: children run from there, as `npm start` would. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Children still running: killed when the bench exits, however it exits. */
const liveChildren = new Set<ChildProcess>();
/** The same by name, for CPU accounting. */
const liveByName = new Map<string, ChildProcess>();
/** Processes the bench started but that are not its children (a CouchDB started by its script), by name. */
const externalByName = new Map<string, number>();

/** Counts a process that is not a child of the bench (by pid) in `cpuSecondsByProcess`. */
export function accountCpuOf(name: string, pid: number): void {
  externalByName.set(name, pid);
}
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});
// Without handlers, a signal ends the process without running 'exit' handlers.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export interface NodeProcessOptions {
  /** Added to the bench's own environment. */
  env?: Record<string, string>;
  /** Where the child's stdout and stderr go (a file: the bench's event loop never handles them). */
  logFile: string;
  /** Node flags before `--import tsx`, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/** A child `node --import tsx <script>` process of the benchmark. */
export class NodeProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    script: string,
    args: string[],
    readonly options: NodeProcessOptions,
  ) {
    const log = openSync(options.logFile, 'a');
    try {
      this.child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    liveChildren.add(this.child);
    liveByName.set(name, this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        liveChildren.delete(this.child);
        if (liveByName.get(name) === this.child) liveByName.delete(name);
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Waits for a line of output matching `pattern`; fails if the process exits first or time runs out. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(await readFile(this.options.logFile, 'utf8'));
      if (match) return match;
      if (exitCode !== undefined) throw new Error(`${this.name} exited with code ${exitCode} before printing ${pattern}:\n${await this.logTail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs / 1000} s:\n${await this.logTail()}`);
      await sleep(100);
    }
  }

  /** The last lines the process wrote, for error messages. */
  async logTail(lines = 20): Promise<string> {
    const text = await readFile(this.options.logFile, 'utf8').catch(() => '');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM, so the process can shut down cleanly (and write a CPU profile); SIGKILL after a grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const killed = sleep(graceMs).then(() => this.child.kill('SIGKILL'));
    await Promise.race([this.exited, killed]);
    await this.exited;
  }
}

/**
 * CPU seconds (user + system) used so far by each live child, by name, and by this
 * process (`bench`: autocannon). Linux only (/proc); elsewhere only `bench`.
 */
export function cpuSecondsByProcess(): Record<string, number> {
  const usage = process.cpuUsage();
  const seconds: Record<string, number> = { bench: (usage.user + usage.system) / 1e6 };
  for (const [name, pid] of [...[...liveByName].map(([name, child]) => [name, child.pid] as const), ...externalByName]) {
    try {
      // Fields after the parenthesised command name; utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      seconds[name] = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Not Linux, or the process just ended.
    }
  }
  return seconds;
}

/** Runs a command to completion; throws with the end of its output when it fails. */
export async function runToCompletion(command: NodeProcess): Promise<void> {
  const code = await command.exited;
  if (code !== 0) throw new Error(`${command.name} failed with code ${code}:\n${await command.logTail()}`);
}

/** The CouchDB-compatible store (bench/support/store.ts) in its own process; resolves with its URL. */
export async function startStore(logDirectory: string, storage: { kind: 'memory' } | { kind: 'leveldb'; directory: string }, nodeFlags: string[] = []) {
  const args = storage.kind === 'leveldb' ? ['--leveldb', storage.directory] : [];
  const store = new NodeProcess('store', 'bench/support/store.ts', args, { logFile: path.join(logDirectory, 'store.log'), nodeFlags });
  const [, url] = await store.waitForOutput(/store listening on (http:\/\/\S+)/, 60_000);
  return { process: store, url: url! };
}

export interface GatewayProcessOptions {
  couchUrl: string;
  dbPrefix: string;
  adminLogin: string;
  adminPassword: string;
  logFile: string;
  nodeFlags?: string[];
  /** More environment, over the defaults below (e.g. subscription limits). */
  env?: Record<string, string>;
}

/** The gateway as `npm start` runs it; resolves with its base URL once it listens. */
export async function startGatewayProcess(options: GatewayProcessOptions) {
  const gateway = new NodeProcess(path.basename(options.logFile, '.log'), 'src/main.ts', [], {
    logFile: options.logFile,
    nodeFlags: options.nodeFlags,
    env: {
      COUCHDB_URL: options.couchUrl,
      PORT: '0',
      DB_PREFIX: options.dbPrefix,
      ADMIN_LOGIN: options.adminLogin,
      ADMIN_PASSWORD: options.adminPassword,
      LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  // It listens at once; `waitUntilReady` then waits for the index build, however long on a large database.
  const [, url] = await gateway.waitForOutput(/listening on (http:\/\/[^\s"]+)\/graphql/, 30 * 60_000);
  return { process: gateway, url: url! };
}

/** Polls `GET /ready` until 200: the gateway builds its CouchDB indexes in the background after start. */
export async function waitUntilReady(gateway: { process: NodeProcess; url: string }, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    const response = await fetch(`${gateway.url}/ready`).catch((error: unknown) => error as Error);
    if (!(response instanceof Error) && response.status === 200) return;
    const reason = response instanceof Error ? response.message : await response.text();
    if (gateway.process.child.exitCode !== null) throw new Error(`the gateway exited while getting ready:\n${await gateway.process.logTail()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`the gateway was not ready after ${timeoutMs / 1000} s: ${reason}`);
    if (Date.now() - lastReport > 15_000) {
      console.log(`  still not ready after ${Math.round((Date.now() - started) / 1000)} s: ${reason}`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
}

/** A bare graphql-yoga hello-world server (bench/support/bare-yoga.ts) in its own process. */
export async function startBareYoga(logDirectory: string, nodeFlags: string[] = []) {
  const yoga = new NodeProcess('bare-yoga', 'bench/support/bare-yoga.ts', [], { logFile: path.join(logDirectory, 'bare-yoga.log'), nodeFlags });
  const [, url] = await yoga.waitForOutput(/bare yoga listening on (http:\/\/\S+)\/graphql/, 60_000);
  return { process: yoga, url: url! };
}

/** The project's own seeding command, into `<dbPrefix>-base`. */
export async function seedUsers(options: { couchUrl: string; dbPrefix: string; users: number; logFile: string }): Promise<void> {
  const seed = new NodeProcess('seed', 'src/cli/seed.ts', ['--users', String(options.users)], {
    logFile: options.logFile,
    env: { COUCHDB_URL: options.couchUrl, DB_PREFIX: options.dbPrefix, LOG_LEVEL: 'warn' },
  });
  await runToCompletion(seed);
}
