import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LoadMeasurement } from './load.js';

/** A bound a figure must respect, e.g. `≥ 0.6 × baseline`. */
export interface Target {
  comparison: '≥' | '≤';
  bound: number;
  /** Says what the figure is, after the number: `× baseline`, ` CouchDB requests`… */
  unit: string;
}

/** One row of the summary: a figure, the baseline of the same run it is compared with, the target. */
export interface Check {
  scenario: string;
  /** The figure in words and numbers, e.g. `1 234 req/s (p50 3.1 ms, p99 9.0 ms)`. */
  figure: string;
  /** The baseline in words and numbers, or `—` when the figure compares two measurements of the gateway. */
  baseline: string;
  /** The number compared with the target (a ratio, a count…). */
  value: number;
  target: Target;
  met: boolean;
}

export function check(row: Omit<Check, 'met'>): Check {
  const { comparison, bound } = row.target;
  return { ...row, met: comparison === '≥' ? row.value >= bound : row.value <= bound };
}

/** A figure's req/s against its baseline's, measured in the same run: at least `bound` times. */
export function throughputCheck(scenario: string, figure: [string, LoadMeasurement], baseline: [string, LoadMeasurement], bound: number, per: string): Check {
  return check({
    scenario,
    figure: `${figure[0]}: ${describeLoad(figure[1])}`,
    baseline: `${baseline[0]}: ${describeLoad(baseline[1])}`,
    value: figure[1].requestsPerSecond / baseline[1].requestsPerSecond,
    target: { comparison: '≥', bound, unit: ` × ${per} req/s` },
  });
}

/** Number formatting for tables: 3 significant figures, thousands separated. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(digits));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export function describeLoad(measurement: LoadMeasurement): string {
  return `${formatNumber(measurement.requestsPerSecond)} req/s (p50 ${formatNumber(measurement.p50Ms)} ms, p99 ${formatNumber(measurement.p99Ms)} ms)`;
}

/** A Markdown table with aligned columns: readable on a terminal, pasteable into a README. */
export function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function checksTable(checks: Check[]): string {
  return markdownTable(
    ['scenario', 'figure', 'baseline (same run)', 'result', 'target', 'met'],
    checks.map((row) => [
      row.scenario,
      row.figure,
      row.baseline,
      `${formatNumber(row.value)}${row.target.unit}`,
      `${row.target.comparison} ${formatNumber(row.target.bound)}${row.target.unit}`,
      row.met ? 'met' : 'MISSED',
    ]),
  );
}

export function measurementsTable(measurements: LoadMeasurement[]): string {
  return markdownTable(
    ['measurement', 'connections', 'seconds', 'responses', 'req/s', 'p50 ms', 'p99 ms', 'failures', 'CPU ms per response'],
    measurements.map((m) => [
      m.label,
      String(m.connections),
      formatNumber(m.seconds),
      String(m.responses),
      formatNumber(m.requestsPerSecond),
      formatNumber(m.p50Ms),
      formatNumber(m.p99Ms),
      String(m.failures),
      Object.entries(m.cpuMsPerResponse ?? {})
        .filter(([, ms]) => ms >= 0.05)
        .map(([name, ms]) => `${name} ${formatNumber(ms, 2)}`)
        .join(', '),
    ]),
  );
}

/** What the figures were measured on: absolute numbers mean little without it. */
export function machine() {
  const cpuModel = /^model name\s*:\s*(.*)$/m.exec(safeRead('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { cpus: os.availableParallelism(), cpuModel, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Writes `bench/results/<ISO date>.json` (colons as dashes, for every file system); returns its path. */
export async function writeResults(startedAt: Date, results: Record<string, unknown>): Promise<string> {
  const directory = path.resolve(import.meta.dirname, '..', 'results');
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), machine: machine(), ...results }, null, 2)}\n`);
  return file;
}
