import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import pino from 'pino';
import { loadConfig, type GatewayConfig } from '../../src/config/environment.js';
import { startGateway, type Gateway } from '../../src/server.js';

export const BENCH_ADMIN = { login: 'bench-admin', password: 'bench-admin-password' };

/**
 * A gateway for benchmarks: on COUCHDB_URL when given, else on an in-memory
 * embedded store, with the production bcrypt cost unless BCRYPT_ROUNDS says otherwise.
 */
export async function startBenchGateway(): Promise<Gateway> {
  const base = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' });
  const config: GatewayConfig = {
    ...base,
    couch: base.couch.kind === 'server' ? base.couch : { kind: 'embedded', storage: { kind: 'memory' } },
    dbPrefix: `bench${Date.now().toString(36)}`,
    admin: { ...BENCH_ADMIN },
  };
  return startGateway(config, pino({ level: 'silent' }));
}

export function basicHeader(identifier: string, secret: string): string {
  return `Basic ${Buffer.from(`${identifier}:${secret}`).toString('base64')}`;
}

export async function graphql(url: string, query: string, authorization: string): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Drives one POST with autocannon over loopback. */
export async function load(url: string, body: string, headers: Record<string, string>, options: { connections: number; seconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Prints a table and writes the figures to bench/results/<date>-<name>.json. */
export async function report(name: string, rows: Record<string, string | number>[], summary: Record<string, unknown>): Promise<void> {
  console.table(rows);
  for (const [key, value] of Object.entries(summary)) console.log(`${key}: ${typeof value === 'number' ? value.toFixed(3) : String(value)}`);
  const directory = path.join(import.meta.dirname, '..', 'results');
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}.json`);
  await writeFile(file, JSON.stringify({ name, machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, rows, summary }, null, 2));
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}
