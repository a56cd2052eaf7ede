import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's entry points as its own process, with a clean environment. */
export function run(script: string, args: string[], env: Record<string, string>, onOutput?: (chunk: string) => void, onError?: (chunk: string) => void) {
  const { COUCHDB_URL: _ignored, ...inherited } = process.env;
  // As `npm start` runs it: one node process with tsx's loader, so signals reach the gateway itself.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...inherited, LOG_LEVEL: 'info', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    onOutput?.(String(chunk));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    onError?.(String(chunk));
  });
  const finished = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, finished };
}

/** Starts `src/main.ts` (what `npm start` runs) and resolves with its URL once it listens. */
export async function startMain(env: Record<string, string>) {
  let resolveUrl: (url: string) => void;
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  let output = '';
  let errors = '';
  const process = run(
    'src/main.ts',
    [],
    { PORT: '0', ...env },
    (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)\/graphql/.exec(output);
      if (match?.[1]) resolveUrl(match[1]);
    },
    (chunk) => (errors += chunk),
  );
  const url = await Promise.race([
    listening,
    process.finished.then((result) => {
      throw new Error(`gateway exited: ${result.stderr}${result.stdout}`);
    }),
  ]);
  /** What the process printed on stdout (its log) and stderr so far. */
  const stdout = () => output;
  const stderr = () => errors;
  /** Resolves once `/ready` answers 200. */
  const ready = async () => {
    while ((await fetch(`${url}/ready`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  };
  return { url, stdout, stderr, ready, ...process };
}
