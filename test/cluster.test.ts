import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouchClient } from '../src/couch/client.js';
import { DocumentWrites } from '../src/couch/document-writes.js';
import { expectOneUserForOneLogin } from './support/contended-login.js';
import { startMain } from './support/processes.js';
import { CouchAdmin } from './support/test-couch.js';
import { sharedCouchdb, startTestCluster, type TestCluster } from './support/test-cluster.js';
import { TEST_ADMIN, uniquePrefix } from './support/test-config.js';
import { ADMIN_HEADERS, waitUntilReady } from './support/test-gateway.js';

if (!sharedCouchdb) console.warn('test/cluster.test.ts skipped: no ../shared/couchdb beside the project to start a real CouchDB cluster from');

const CREATE = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id rev login } }';
const MODIFY = 'mutation($input: ModifyUserInput!) { modifyUser(input: $input) { id rev } }';
const READ = 'query($id: ID!, $login: String!) { user(id: $id) { id rev } userByLogin(login: $login) { id } }';

/** One request of the traffic: when it ran (ms on the test's clock), how it ended. */
interface Sent {
  kind: 'read' | 'write';
  startedAt: number;
  endedAt: number;
  status: number;
  /** extensions.code of the first error; undefined when it succeeded; 'HANG' when no answer came. */
  code: string | undefined;
}

/** A write the gateway acknowledged: this revision must be in CouchDB's history of the document at the end. */
interface Acknowledged {
  id: string;
  rev: string;
}

const COUCHDB_TIMEOUT_MS = 5_000;
/** How long after a node's process is gone the cluster may still route a request to it (seen: a few ms). */
const CLUSTER_NOTICE_MS = 200;

describe.skipIf(!sharedCouchdb)('a 3-node CouchDB cluster behind two gateway processes', () => {
  let cluster: TestCluster;
  /** Talks to the last node, which stays up. */
  let admin: CouchAdmin;
  const prefix = uniquePrefix();
  const db = `${prefix}-base`;
  const gateways: Awaited<ReturnType<typeof startMain>>[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
    admin = new CouchAdmin(cluster.urls.at(-1)!);
    const env = {
      COUCHDB_URL: cluster.urls.join(','),
      COUCHDB_TIMEOUT_MS: String(COUCHDB_TIMEOUT_MS),
      DB_PREFIX: prefix,
      BCRYPT_ROUNDS: '4',
      ADMIN_PASSWORD: TEST_ADMIN.password,
    };
    gateways.push(await startMain(env), await startMain(env));
    for (const gateway of gateways) await waitUntilReady(gateway.url);
  }, 120_000);

  afterAll(async () => {
    for (const gateway of gateways) {
      gateway.child.kill('SIGTERM');
      await gateway.finished;
    }
    await cluster?.close();
  }, 120_000);

  it('keeps the default database in three copies, and /ready lists the nodes', async () => {
    expect((await admin.request('GET', encodeURIComponent(db))).body.cluster).toMatchObject({ n: 3 });
    const ready = await (await fetch(`${gateways[0]!.url}/ready`)).json();
    expect(ready).toMatchObject({ ready: true, nodes: cluster.ports.map((port) => ({ url: `http://127.0.0.1:${port}`, up: true })) });
  });

  it('gives one user for one login when the two gateways race through all three nodes', async () => {
    const before = await nodeRequests(gateways.map((gateway) => gateway.url));
    await expectOneUserForOneLogin(
      gateways.map((gateway) => gateway.url),
      admin,
      db,
      'contended-on-the-cluster',
    );
    const after = await nodeRequests(gateways.map((gateway) => gateway.url));
    const accepted = Object.keys(after).reduce((total, node) => total + (after[node]!['202'] ?? 0) - (before[node]?.['202'] ?? 0), 0);
    console.info(`the race: ${accepted} writes CouchDB accepted without its quorum (202), each checked for a competing revision`);
    for (const node of Object.keys(after)) expect(after[node]!['2xx']).toBeGreaterThan(before[node]?.['2xx'] ?? 0);
  });

  it('of writers racing on one new document through different nodes, at most one wins, and the document is its write', async () => {
    const raceDb = `${prefix}-race`;
    await admin.createDatabase(raceDb);
    let accepted = 0;
    // Two writers per node, each through its own client, as separate gateways would be.
    const writers = [...cluster.urls, ...cluster.urls].map((url) => {
      const client = createCouchClient({
        urls: [url],
        timeoutMs: 5_000,
        maxConnections: 4,
        maxPending: 100,
        observe: ({ method, status }) => (accepted += method === 'PUT' && status === 202 ? 1 : 0),
      });
      return { client, writes: new DocumentWrites(client) };
    });
    try {
      let contested = 0;
      for (let round = 0; round < 40; round++) {
        const id = `contested-${round}`;
        const revs = await Promise.all(writers.map(({ writes }, writer) => writes.put(raceDb, { _id: id, writer } as { _id: string })));
        const winners = revs.flatMap((rev, writer) => (rev ? [{ rev, writer }] : []));
        expect(winners.length).toBeLessThanOrEqual(1);
        if (winners.length === 0) {
          contested++;
          continue;
        }
        // The losers' withdrawals reach every copy shortly (CouchDB's internal replication): then no conflict is left,
        // and the winner's write is the document. Until then a read may come from copies that lack some of it.
        const deadline = performance.now() + 10_000;
        let current = await admin.request('GET', `${raceDb}/${id}?conflicts=true`);
        while ((current.body._conflicts || current.body._rev !== winners[0]!.rev) && performance.now() < deadline) {
          await sleep(50);
          current = await admin.request('GET', `${raceDb}/${id}?conflicts=true`);
        }
        expect(current.body).toEqual({ _id: id, _rev: winners[0]!.rev, writer: winners[0]!.writer });
      }
      console.info(`40 races of 6 writers over 3 nodes: ${accepted} writes accepted without quorum (202) and checked, ${contested} races without a winner`);
    } finally {
      await Promise.all(writers.map(({ client }) => client.close()));
      await admin.deleteDatabase(raceDb);
    }
  });

  it('a node killed mid-traffic: only requests in flight fail, with SERVICE_UNAVAILABLE; traffic goes on; no write is lost; the node rejoins', async () => {
    const urls = gateways.map((gateway) => gateway.url);
    const victim = cluster.ports[0]!;
    const victimUrl = `http://127.0.0.1:${victim}`;
    const clients = 6;
    const sent: Sent[] = [];
    const acknowledged: Acknowledged[] = [];
    const createdLogins: string[] = [];
    let stop = false;

    const client = async (index: number) => {
      const gateway = urls[index % urls.length]!;
      const own = { ...(await send(gateway, CREATE, { input: { login: `client${index}` } }, 'write', sent)).data.createUser };
      acknowledged.push({ id: own.id, rev: own.rev });
      for (let step = 0; !stop; step++) {
        if (step % 2 === 0) {
          await send(gateway, READ, { id: own.id, login: `client${index}` }, 'read', sent);
        } else if (step % 4 === 1) {
          const answer = await send(gateway, MODIFY, { input: { id: own.id, rev: own.rev, name: `step ${step}` } }, 'write', sent);
          if (answer.data?.modifyUser) {
            own.rev = answer.data.modifyUser.rev;
            acknowledged.push({ id: own.id, rev: own.rev });
          } else if (answer.code === 'CONFLICT') {
            // A modification cut short by the kill may have been written: read the current revision.
            own.rev = (await send(gateway, READ, { id: own.id, login: `client${index}` }, 'read', sent)).data?.user?.rev ?? own.rev;
          }
        } else {
          const login = `client${index}-${step}`;
          const answer = await send(gateway, CREATE, { input: { login } }, 'write', sent);
          if (answer.data?.createUser) {
            acknowledged.push({ id: answer.data.createUser.id, rev: answer.data.createUser.rev });
            createdLogins.push(login);
          }
        }
      }
    };

    const traffic = Array.from({ length: clients }, (_, index) => client(index));
    await sleep(3_000);
    const killedAt = performance.now();
    await cluster.kill(victim);
    // The other nodes learn of the loss a moment after the process is gone; a request they
    // were already routing to it (a write's quorum, a shard read) meanwhile ends in a 503.
    const goneAt = performance.now() + CLUSTER_NOTICE_MS;
    await sleep(5_000);
    stop = true;
    await Promise.all(traffic);

    const during = sent.filter((request) => request.endedAt > killedAt);
    const failed = sent.filter((request) => request.code !== undefined && request.code !== 'CONFLICT');
    const conflicts = sent.filter((request) => request.code === 'CONFLICT');
    const afterKill = sent.filter((request) => request.startedAt >= goneAt);
    const firstSuccess = (kind: Sent['kind']) =>
      Math.min(...afterKill.filter((request) => request.kind === kind && request.code === undefined).map((request) => request.endedAt)) - killedAt;
    const slowest = Math.max(...sent.map((request) => request.endedAt - request.startedAt));
    console.info(
      `node kill: ${sent.length} requests sent by ${clients} clients over 2 gateways (${during.length} ending after the kill), ` +
        `${failed.length} failed (${failed.map((request) => `${request.kind} ${request.code}`).join(', ') || 'none'}), ` +
        `${conflicts.length} CONFLICT after a modification cut short; the node was gone ${(goneAt - CLUSTER_NOTICE_MS - killedAt).toFixed(0)} ms after SIGKILL; ` +
        `first read started after it succeeded ${firstSuccess('read').toFixed(0)} ms after the kill, first write ${firstSuccess('write').toFixed(0)} ms; ` +
        `slowest request ${slowest.toFixed(0)} ms`,
    );

    // What the gateways logged as errors, to tell a failure's cause (none is expected: see below).
    const errorLines = gateways.flatMap((gateway) =>
      gateway
        .stdout()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line)),
    );
    if (errorLines.length) console.info(`gateway errors:\n${errorLines.join('\n')}`);
    // Never a hang nor a 500: a failure is a 503 SERVICE_UNAVAILABLE, of a request in flight when the node died
    // (or started before the cluster noticed).
    for (const request of failed) {
      expect(request.code).toBe('SERVICE_UNAVAILABLE');
      expect(request.status).toBe(503);
      expect(request.startedAt).toBeLessThan(goneAt);
    }
    expect(slowest).toBeLessThan(COUCHDB_TIMEOUT_MS * 2);
    // Reads and writes go on through the two other nodes: every request started once the node was gone succeeded.
    expect(afterKill.filter((request) => request.kind === 'read').length).toBeGreaterThan(0);
    expect(afterKill.filter((request) => request.kind === 'write').length).toBeGreaterThan(0);
    expect(afterKill.filter((request) => request.code !== undefined && request.code !== 'CONFLICT')).toEqual([]);

    // Every acknowledged revision is in its document's current history (not on a losing conflict branch), read from a node that stayed up.
    for (const { id, rev } of acknowledged) {
      const { status, body } = await admin.request('GET', `${encodeURIComponent(db)}/${encodeURIComponent(id)}?revs=true&conflicts=true`);
      expect(status).toBe(200);
      expect(body._conflicts).toBeUndefined();
      const history = body._revisions.ids.map((hash: string, depth: number) => `${body._revisions.start - depth}-${hash}`);
      expect(history).toContain(rev);
    }
    // No login is held by two users.
    const users = (await admin.allDocs(db)).filter((doc: any) => doc.java_type === 'org.taktik.icure.entities.User' && !doc.deleted);
    const logins = users.map((user: any) => user.login);
    expect(new Set(logins).size).toBe(logins.length);
    for (const login of createdLogins) expect(logins).toContain(login);
    console.info(`node kill: ${acknowledged.length} acknowledged writes checked in CouchDB, ${users.length} users with distinct logins`);

    // /ready tells which node is down; the gateway stays ready.
    for (const url of urls) {
      const ready = await (await fetch(`${url}/ready`)).json();
      expect(ready.ready).toBe(true);
      expect(ready.nodes).toContainEqual({ url: victimUrl, up: false });
    }

    // Restarted, the node rejoins the cluster by itself, and the gateways find it again with nothing done on their side.
    const restartedAt = performance.now();
    await cluster.restart(victim);
    for (const url of urls) {
      while (!(await (await fetch(`${url}/ready`)).json()).nodes.some((node: { url: string; up: boolean }) => node.url === victimUrl && node.up)) {
        expect(performance.now() - restartedAt).toBeLessThan(60_000);
        await sleep(100);
      }
    }
    const served = async () => (await nodeRequests(urls))[victimUrl]?.['2xx'] ?? 0;
    const servedBefore = await served();
    let reads = 0;
    while ((await served()) === servedBefore) {
      expect(reads).toBeLessThan(5_000);
      // A login nobody holds: the feed-coherent cache cannot answer it, so the lookup goes to CouchDB.
      await Promise.all(urls.map((url) => send(url, READ, { id: acknowledged[0]!.id, login: `held-by-nobody-${reads}` }, 'read', [])));
      reads += urls.length;
    }
    console.info(
      `node restart: /ready saw it up ${(performance.now() - restartedAt).toFixed(0)} ms after start.sh was called; ` +
        `it served the gateways again within ${reads} more reads`,
    );
  }, 180_000);
});

/** A GraphQL request as the admin, recorded in `log`; a request with no answer after 20 s counts as a hang. */
async function send(gateway: string, query: string, variables: Record<string, unknown>, kind: Sent['kind'], log: Sent[]) {
  const startedAt = performance.now();
  let status = 0;
  let body: any = {};
  try {
    const response = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_HEADERS },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
    status = response.status;
    body = await response.json();
  } catch {
    body = { errors: [{ extensions: { code: 'HANG' } }] };
  }
  const code: string | undefined = body.errors?.[0]?.extensions?.code;
  log.push({ kind, startedAt, endedAt: performance.now(), status, code });
  return { data: body.data, code };
}

/** CouchDB requests the gateways made, per node: by status, and all 2xx together. */
async function nodeRequests(gateways: string[]): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const gateway of gateways) {
    const text = await (await fetch(`${gateway}/metrics`)).text();
    for (const [, node, status, value] of text.matchAll(/^gateway_couchdb_request_duration_seconds_count\{node="([^"]+)",method="[A-Z]+",status="(\d+)"\} (\d+)/gm)) {
      counts[node!] ??= {};
      const perNode = counts[node!]!;
      perNode[status!] = (perNode[status!] ?? 0) + Number(value);
      if (status!.startsWith('2')) perNode['2xx'] = (perNode['2xx'] ?? 0) + Number(value);
    }
  }
  return counts;
}
