import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed, withoutCredentials, type ChangeRow, type FeedStatus } from '../src/couch/change-feed.js';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.js';
import { CouchAdmin, startTestCouch, type TestCouch } from './support/test-couch.js';
import { uniquePrefix } from './support/test-config.js';

/** Polls until `check` holds; the bound only keeps a broken feed from hanging the test. */
async function eventually(check: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the change feed of one database', () => {
  let couch: TestCouch;
  let admin: CouchAdmin;
  let proxy: CountingProxy;
  const dispatcher = new Agent({ bodyTimeout: 0 });
  const feeds: ChangeFeed[] = [];

  beforeAll(async () => {
    couch = await startTestCouch();
    admin = new CouchAdmin(couch.url);
    proxy = await startCountingProxy(couch.url);
  });
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
    proxy.cut(false);
  });
  afterAll(async () => {
    await proxy.close();
    await couch.close();
    await dispatcher.close();
  });

  async function follow(db: string, nodes = [proxy.url]) {
    const seen = new Map<string, ChangeRow>();
    const states: FeedStatus[] = [];
    const feed = new ChangeFeed({
      nodes,
      db,
      heartbeatMs: 100,
      maxLagMs: 400,
      dispatcher,
      onChanges: (rows) => {
        for (const row of rows) seen.set(row.id, row);
      },
      onState: (status) => states.push(status),
    });
    feeds.push(feed);
    await feed.start();
    return { feed, seen, states };
  }

  async function followLive(db: string) {
    const followed = await follow(db);
    await eventually(() => followed.feed.isLive(), 'live');
    return followed;
  }

  async function newDatabase(): Promise<string> {
    const db = `${uniquePrefix()}-base`;
    await admin.createDatabase(db);
    return db;
  }

  it('delivers every write made after start, deletions included, with the winning revision and document', async () => {
    const db = await newDatabase();
    await admin.insert(db, [{ _id: 'before', v: 0 }]);
    const { feed, seen } = await followLive(db);
    const [written] = await admin.insert(db, [{ _id: 'u1', v: 1 }]);
    await eventually(() => seen.get('u1')?.rev === written!.rev, 'u1 delivered');
    expect(seen.get('u1')!.doc).toMatchObject({ _id: 'u1', v: 1 });
    expect(seen.has('before')).toBe(false);
    expect(feed.isLive()).toBe(true);

    const deleted = await admin.request('DELETE', `${db}/u1?rev=${written!.rev}`);
    await eventually(() => seen.get('u1')?.deleted === true, 'u1 deleted');
    expect(seen.get('u1')!.rev).toBe(deleted.body.rev);
  });

  it('is not live while cut, then catches up from its last sequence without a gap and goes live again', async () => {
    const db = await newDatabase();
    const { feed, seen } = await followLive(db);
    proxy.cut(true);
    await eventually(() => !feed.isLive(), 'not live once cut');
    // Written straight into CouchDB while the feed cannot see it.
    const written = await admin.insert(
      db,
      Array.from({ length: 30 }, (_, i) => ({ _id: `w${i}`, v: i })),
    );
    proxy.cut(false);
    await eventually(() => feed.isLive(), 'live again');
    // Live only after the catch-up: everything written meanwhile is there at that moment.
    for (const { id, rev } of written) expect(seen.get(id)?.rev).toBe(rev);
    expect(feed.status().reconnects).toBeGreaterThan(0);
  });

  it('drops a connection that goes silent, says so, and follows another node', async () => {
    const db = await newDatabase();
    // A node that answers the start and the catch-up, then sends headers and never a byte more.
    const silent = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.includes('feed=continuous')) return;
      res.end(JSON.stringify(req.url?.includes('_changes') ? { results: [], last_seq: 0 } : { update_seq: 0 }));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const { feed, seen, states } = await follow(db, [silentUrl, proxy.url]);
      await eventually(() => states.some((status) => status.state === 'live'), 'live on the silent node');
      await eventually(() => states.some((status) => status.state === 'down'), 'dropped for silence');
      const [written] = await admin.insert(db, [{ _id: 'after-silence', v: 1 }]);
      await eventually(() => seen.get('after-silence')?.rev === written!.rev, 'followed on the next node');
      expect(feed.status().node).toBe(withoutCredentials(proxy.url));
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('keeps one connection per database whatever the write traffic', async () => {
    const db = await newDatabase();
    const { seen } = await followLive(db);
    proxy.reset();
    const written = await admin.insert(
      db,
      Array.from({ length: 200 }, (_, i) => ({ _id: `t${i}` })),
    );
    await eventually(() => written.every(({ id, rev }) => seen.get(id)?.rev === rev), 'all delivered');
    expect(proxy.requests.filter((request) => request.url.includes('_changes'))).toHaveLength(0);
  });
});
