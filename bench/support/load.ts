import autocannon from 'autocannon';

/** What autocannon sends: one request, or several it cycles through on every connection. */
export interface HttpLoad {
  /** Says what is measured, e.g. `gateway user(id)`. */
  label: string;
  /** Origin of the server, e.g. `http://127.0.0.1:4000`. */
  origin: string;
  requests: autocannon.Request[];
}

export interface LoadMeasurement {
  label: string;
  connections: number;
  seconds: number;
  /** Responses received. */
  responses: number;
  requestsPerSecond: number;
  /** Percentiles of the 2xx responses, from autocannon's own per-response times (sub-millisecond). */
  p50Ms: number;
  p99Ms: number;
  /** Responses that are not 2xx, or are 2xx but carry GraphQL `errors`, and connection errors (warm-up included). */
  failures: number;
  /** CPU milliseconds each process spent per response during the measurement: who is the bottleneck. */
  cpuMsPerResponse?: Record<string, number>;
}

export interface MeasureOptions {
  connections: number;
  /** Measured seconds of each load, split over the rounds (whole seconds each). */
  seconds: number;
  warmupSeconds: number;
  /** Loads measured together alternate this many times (A B A B…). */
  rounds: number;
  /** Cumulative CPU seconds of the processes involved, by name. */
  cpuSeconds?: () => Record<string, number>;
}

/** A GraphQL POST, anonymous when no authorization is given. */
export function graphqlRequest(query: string, authorization?: string): autocannon.Request {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  };
}

/**
 * Measures loads that are to be compared (a figure and its baseline): each is warmed
 * up (caches, JIT, connection pools), then they take turns in rounds, so that a change
 * of background load on a shared machine hits them alike.
 */
export async function measureInterleaved<Loads extends HttpLoad[]>(loads: [...Loads], options: MeasureOptions): Promise<{ [K in keyof Loads]: LoadMeasurement }> {
  const warmupFailures: number[] = [];
  for (const load of loads) {
    warmupFailures.push(options.warmupSeconds > 0 ? (await run(load, { connections: options.connections, duration: options.warmupSeconds })).failures : 0);
  }
  // autocannon counts whole seconds.
  const roundSeconds = Math.max(1, Math.round(options.seconds / options.rounds));
  const runs: Run[][] = loads.map(() => []);
  const cpu: Record<string, number>[] = loads.map(() => ({}));
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, load] of loads.entries()) {
      const before = options.cpuSeconds?.() ?? {};
      runs[index]!.push(await run(load, { connections: options.connections, duration: roundSeconds }));
      const after = options.cpuSeconds?.() ?? {};
      for (const name of Object.keys(after)) {
        if (name in before) cpu[index]![name] = (cpu[index]![name] ?? 0) + after[name]! - before[name]!;
      }
    }
  }
  const measurements = loads.map((load, index): LoadMeasurement => {
    const measurement = summarize(load.label, options.connections, runs[index]!);
    const cpuMsPerResponse = Object.fromEntries(Object.entries(cpu[index]!).map(([name, seconds]) => [name, (seconds * 1000) / measurement.responses]));
    return { ...measurement, failures: measurement.failures + warmupFailures[index]!, ...(options.cpuSeconds ? { cpuMsPerResponse } : {}) };
  });
  return measurements as { [K in keyof Loads]: LoadMeasurement };
}

/** One autocannon run for a number of requests (exactly: each connection stops at its share), no warm-up. */
export async function drive(load: HttpLoad, options: { connections: number; amount: number }): Promise<LoadMeasurement> {
  return summarize(load.label, options.connections, [await run(load, options)]);
}

/** The raw outcome of one autocannon run. */
interface Run {
  /** Of the 2xx responses, in milliseconds. */
  latencies: number[];
  responses: number;
  seconds: number;
  failures: number;
}

/**
 * One autocannon run over loopback, for a duration or a number of requests. Latencies
 * are kept here: autocannon's own histogram has a 1 ms resolution.
 */
function run(load: HttpLoad, options: { connections: number; duration?: number; amount?: number }): Promise<Run> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.origin,
        requests: load.requests,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
        // A GraphQL error may come with a 200: count it as a failure.
        verifyBody: (body) => typeof body !== 'string' || !body.includes('"errors"'),
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({ latencies, responses: result.requests.total, seconds: result.duration, failures: result.non2xx + result.errors + result.mismatches });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

function summarize(label: string, connections: number, runs: Run[]): LoadMeasurement {
  const latencies = runs.flatMap((one) => one.latencies).sort((a, b) => a - b);
  const responses = runs.reduce((total, one) => total + one.responses, 0);
  const seconds = runs.reduce((total, one) => total + one.seconds, 0);
  return {
    label,
    connections,
    seconds,
    responses,
    requestsPerSecond: responses / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failures: runs.reduce((total, one) => total + one.failures, 0),
  };
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
