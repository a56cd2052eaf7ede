import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatNumber, markdownTable } from './report.js';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface SelfTime {
  /** A function (`name (file:line)`) or a package. */
  what: string;
  milliseconds: number;
  /** Share of the time the process was busy (not idle). */
  percentOfBusy: number;
}

/** Time spent in each group's own code (not its callees), most first; `(idle)` left out. */
export function selfTimeBy(profile: CpuProfile, group: (frame: CallFrame) => string): SelfTime[] {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byGroup = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((nodeId, index) => {
    const frame = frameOf.get(nodeId);
    if (!frame || frame.functionName === '(idle)') return;
    const micros = profile.timeDeltas[index] ?? 0;
    busy += micros;
    const key = group(frame);
    byGroup.set(key, (byGroup.get(key) ?? 0) + micros);
  });
  return [...byGroup].sort((a, b) => b[1] - a[1]).map(([what, micros]) => ({ what, milliseconds: micros / 1000, percentOfBusy: (100 * micros) / busy }));
}

function functionOf(projectRoot: string) {
  return (frame: CallFrame) => {
    const file = frame.url.replace(/^file:\/\//, '').replace(`${projectRoot}/`, '');
    const name = frame.functionName || '(anonymous)';
    return file ? `${name} (${file}:${frame.lineNumber + 1})` : name;
  };
}

/** The npm package, project directory or runtime a function belongs to. */
function packageOf(projectRoot: string) {
  return (frame: CallFrame) => {
    const file = frame.url.replace(/^file:\/\//, '').replace(`${projectRoot}/`, '');
    if (!file) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
    // Node's own modules by area: node:internal/deps/undici/undici → node:undici (its fetch), node:internal/streams/… → node:streams.
    if (file.startsWith('node:'))
      return `node:${
        file
          .slice('node:'.length)
          .replace(/^internal\//, '')
          .replace(/^deps\//, '')
          .split(/[/:]/)[0]
      }`;
    const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file);
    if (inModules) return inModules[1]!;
    return file.split('/').slice(0, 2).join('/');
  };
}

/**
 * Prints the top self-time functions and packages of the main-thread profiles in a
 * directory (node names them `CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile`;
 * tsx's loader thread has its own, of no interest), titled with the process names by pid.
 */
export async function summarizeProfiles(directory: string, projectRoot: string, processNames: Map<number, string>, count = 20): Promise<void> {
  const files = (await readdir(directory)).filter((file) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(file)).sort();
  const table = (rows: SelfTime[], heading: string) =>
    markdownTable(
      [heading, 'self ms', '% of busy'],
      rows.slice(0, count).map((row) => [row.what, formatNumber(row.milliseconds), row.percentOfBusy.toFixed(1)]),
    );
  for (const file of files) {
    const pid = Number(file.split('.')[3]);
    const profile = JSON.parse(await readFile(path.join(directory, file), 'utf8')) as CpuProfile;
    console.log(`\nCPU profile of ${processNames.get(pid) ?? 'process'} ${pid} (${path.join(directory, file)}), idle time left out:`);
    console.log(table(selfTimeBy(profile, packageOf(projectRoot)), 'package'));
    console.log(table(selfTimeBy(profile, functionOf(projectRoot)), 'function'));
  }
}
