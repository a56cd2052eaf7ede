import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../src/server.js';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './support/test-couch.js';
import { testConfig } from './support/test-config.js';
import { ADMIN_HEADERS, postGraphQL, waitUntilReady } from './support/test-gateway.js';

/**
 * COUCHDB_URL with several nodes, played by two counting proxies in front of one
 * CouchDB: what the gateway does with its nodes, on every store. A real cluster, and
 * a node killed under traffic: cluster.test.ts.
 */
describe('several CouchDB nodes', () => {
  let couch: TestCouch;
  let admin: CouchAdmin;
  let nodes: CountingProxy[];
  let gateway: Gateway;
  let prefix: string;
  // A login nobody holds: the feed-coherent cache cannot answer it, so every read reaches CouchDB.
  const read = () => postGraphQL(gateway.url, '{ currentUser { login } userByLogin(login: "held-by-nobody") { id } }', undefined, ADMIN_HEADERS);
  const nodeUrl = (node: CountingProxy) => new URL(node.url).origin;
  const ready = async () => (await fetch(`${gateway.url}/ready`)).json();
  const requestsTo = async (node: CountingProxy, status: string) => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const pattern = new RegExp(`^gateway_couchdb_request_duration_seconds_count\\{node="${nodeUrl(node)}",method="\\w+",status="${status}"\\} (\\d+)$`, 'gm');
    return [...text.matchAll(pattern)].reduce((total, [, count]) => total + Number(count), 0);
  };

  beforeAll(async () => {
    couch = await startTestCouch();
    admin = new CouchAdmin(couch.url);
    nodes = [await startCountingProxy(couch.url), await startCountingProxy(couch.url)];
    const config = testConfig(nodes.map((node) => node.url));
    prefix = config.dbPrefix;
    gateway = await startGateway(config, pino({ level: 'silent' }));
    await waitUntilReady(gateway.url);
  });
  afterAll(async () => {
    await gateway?.close();
    for (const db of await admin.databases()) if (db.startsWith(`${prefix}-`)) await admin.deleteDatabase(db);
    for (const node of nodes ?? []) await node.close();
    await couch?.close();
  });

  it('spreads requests over the nodes, counted per node without credentials', async () => {
    for (const node of nodes) node.reset();
    for (let i = 0; i < 20; i++) expect((await read()).status).toBe(200);
    for (const node of nodes) {
      expect(node.requests.length).toBeGreaterThan(0);
      expect(await requestsTo(node, '200')).toBeGreaterThan(0);
    }
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).not.toMatch(/node="[^"]*@/);
    expect(await ready()).toMatchObject({ ready: true, nodes: nodes.map((node) => ({ url: nodeUrl(node), up: true })) });
  });

  it('leaves out a node that refuses connections, and uses it again once it is back', async () => {
    const [gone, other] = nodes as [CountingProxy, CountingProxy];
    const port = Number(new URL(gone.url).port);
    await gone.close();
    // Requests the balancer sends to the closed node are refused at connection and go to the other one.
    for (let i = 0; i < 20; i++) expect((await read()).status).toBe(200);
    expect(await requestsTo(gone, '0')).toBeGreaterThan(0);
    expect(await ready()).toMatchObject({
      ready: true,
      nodes: [
        { url: nodeUrl(gone), up: false },
        { url: nodeUrl(other), up: true },
      ],
    });

    const back = await startCountingProxy(couch.url, port);
    nodes[0] = back;
    expect((await ready()).nodes[0]).toEqual({ url: nodeUrl(back), up: true });
    let reads = 0;
    while (back.requests.filter((request) => request.url !== '/').length === 0) {
      expect(reads).toBeLessThan(1_000);
      expect((await read()).status).toBe(200);
      reads++;
    }
  });
});
