import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The real CouchDB release and its scripts, beside the project (see ../shared/couchdb/README.md), or null. */
export const sharedCouchdb = ((directory) => (existsSync(path.join(directory, 'start-cluster.sh')) ? directory : null))(
  path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'couchdb'),
);

/** A real 3-node CouchDB cluster on 127.0.0.1, nodes on `basePort`, +1, +2. */
export interface TestCluster {
  /** Each node's URL, credentials included. */
  urls: string[];
  ports: number[];
  /** SIGKILLs a node by the pid in its data directory; resolves once the process is gone. */
  kill(port: number): Promise<void>;
  /** Starts a killed node again on its data: it rejoins the cluster by itself. */
  restart(port: number): Promise<void>;
  close(): Promise<void>;
}

/** Base port of the test cluster: COUCHDB_CLUSTER_BASE_PORT, else 25990 (nodes 25990–25992). */
export const clusterBasePort = Number(process.env.COUCHDB_CLUSTER_BASE_PORT ?? 25990);

export async function startTestCluster(basePort = clusterBasePort): Promise<TestCluster> {
  if (!sharedCouchdb) throw new Error('no ../shared/couchdb');
  const scripts = sharedCouchdb;
  const dataRoot = path.join(tmpdir(), `icure-gateway-cluster-${basePort}`);
  await rm(dataRoot, { recursive: true, force: true });
  const { stdout } = await run('bash', [path.join(scripts, 'start-cluster.sh'), '--base-port', String(basePort), '--data-root', dataRoot]);
  const urls = /^COUCHDB_URLS=(\S+)$/m.exec(stdout)?.[1]?.split(',');
  if (!urls?.length) throw new Error(`start-cluster.sh printed no COUCHDB_URLS: ${stdout}`);
  const nodeData = (port: number) => path.join(dataRoot, `node-${port}`);
  return {
    urls,
    ports: urls.map((url) => Number(new URL(url).port)),
    async kill(port) {
      const pid = Number((await readFile(path.join(nodeData(port), 'couchdb.pid'), 'utf8')).trim());
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await sleep(5);
    },
    async restart(port) {
      await run('bash', [path.join(scripts, 'start.sh'), '--cluster', '--port', String(port), '--data', nodeData(port)]);
    },
    async close() {
      await run('bash', [path.join(scripts, 'stop-cluster.sh'), '--data-root', dataRoot, '--wipe']);
    },
  };
}

/** Running: it exists and is no zombie (a killed process has closed its sockets before its parent reaps it). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
