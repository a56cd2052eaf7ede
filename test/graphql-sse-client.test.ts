import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.js';
import { ADMIN_HEADERS, startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

const USERS_CHANGED = 'subscription { usersChanged { cursor kind userId } }';

interface Event {
  cursor: string;
  kind: string;
  userId: string;
}

/**
 * graphql-sse's own client against the gateway, through a proxy that can drop the
 * connection as a network would.
 */
describe('graphql-sse client', () => {
  let t: TestGateway;
  let network: CountingProxy;
  beforeAll(async () => {
    t = await startTestGateway();
    network = await startCountingProxy(t.gateway.url);
  });
  afterAll(async () => {
    await network?.close();
    await t?.close();
  });

  it('subscribes, receives, is disconnected, and resumes after the last event with a headers function (no gap, no duplicate)', async () => {
    const received: Event[] = [];
    const connections: boolean[] = [];
    const arrivals: (() => void)[] = [];
    let lastCursor: string | null = null;
    const client = createClient({
      url: `${network.url}/graphql`,
      singleConnection: false,
      // Asked again on every reconnect: the cursor of the last event received resumes the stream.
      headers: () => ({ ...ADMIN_HEADERS, ...(lastCursor ? { 'last-event-id': lastCursor } : {}) }),
      retryAttempts: 20,
      retry: () => new Promise((resolve) => setTimeout(resolve, 100)),
    });
    const connected = () => new Promise<boolean>((resolve) => (connections.length ? resolve(connections.at(-1)!) : arrivals.push(() => resolve(connections.at(-1)!))));
    const receivedAll = (count: number) => expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
    const dispose = client.subscribe<{ usersChanged: Event }>(
      { query: USERS_CHANGED },
      {
        next: (result) => {
          expect(result.errors).toBeUndefined();
          received.push(result.data!.usersChanged);
          lastCursor = result.data!.usersChanged.cursor;
        },
        error: (error) => {
          throw error;
        },
        complete: () => {},
      },
      {
        connected: (reconnected) => {
          connections.push(reconnected);
          arrivals.shift()?.();
        },
      },
    );
    try {
      expect(await connected()).toBe(false);
      const before = await t.admin.insert(t.db, [icureUser(), icureUser()]);
      await receivedAll(2);

      // The network drops every connection and refuses new ones for a while; meanwhile users change.
      network.cut(true);
      const missed = await t.admin.insert(t.db, [icureUser(), icureUser(), icureUser()]);
      connections.length = 0;
      network.cut(false);
      expect(await connected()).toBe(true);
      const after = await t.admin.insert(t.db, [icureUser()]);
      await receivedAll(6);

      // Each user once (CouchDB orders the documents of one batch its own way), the batches in turn.
      const ids = (docs: { id: string }[]) => docs.map((doc) => doc.id).sort();
      expect([received.slice(0, 2), received.slice(2, 5), received.slice(5)].map((part) => part.map((event) => event.userId).sort())).toEqual([
        ids(before),
        ids(missed),
        ids(after),
      ]);
      expect(new Set(received.map((event) => event.cursor)).size).toBe(6);
    } finally {
      dispose();
    }
  });
});
