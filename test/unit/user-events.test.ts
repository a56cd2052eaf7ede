import { describe, expect, it } from 'vitest';
import type { ChangeRow } from '../../src/couch/change-feed.js';
import { GatewayError } from '../../src/errors.js';
import { USER_JAVA_TYPE, type StoredUser } from '../../src/users/stored-user.js';
import { UserCache } from '../../src/users/user-cache.js';
import type { UserEvent } from '../../src/users/user-event-log.js';
import type { SubscriberAccess, UserEventFilter } from '../../src/users/user-event-stream.js';
import { UserEvents, type UserEventsOptions } from '../../src/users/user-events.js';

function user(id: string, rev: string, fields: Partial<StoredUser> = {}): StoredUser {
  return { _id: id, _rev: rev, java_type: USER_JAVA_TYPE, status: 'ACTIVE', ...fields } as StoredUser;
}
const change = (doc: StoredUser | Record<string, unknown>): ChangeRow => ({
  id: String(doc._id),
  rev: String(doc._rev),
  deleted: false,
  doc: doc as Record<string, unknown>,
});
const purge = (id: string, rev: string): ChangeRow => ({ id, rev, deleted: true, doc: { _id: id, _rev: rev, _deleted: true } });

/** An access that lets everything through until told otherwise. */
function access(overrides: Partial<SubscriberAccess> = {}): SubscriberAccess & { callers: (StoredUser | null)[] } {
  const callers: (StoredUser | null)[] = [];
  return { refusal: () => null, mayRead: () => true, callerChanged: (caller) => void callers.push(caller), callers, ...overrides };
}

const DB = 'db';
function hub(options: Partial<UserEventsOptions> = {}, cache?: UserCache) {
  const databases = { nameFor: (groupId?: string | null) => groupId ?? DB, openIfExists: async () => ({}) } as never;
  const events = new UserEvents({ maxSubscriptions: 100, perCaller: 10, window: 100, queueMax: 10, ...options }, databases, (database, id, rev) =>
    cache?.of(database).stateBefore(id, rev),
  );
  const open = (filter: UserEventFilter = {}, after: string | null = null, subscriber = access(), callerId = 'caller') =>
    events.subscribe({ database: DB, filter, caller: { groupId: null, userId: callerId }, access: subscriber, after });
  return { events, open, record: (...rows: ChangeRow[]) => events.record(DB, rows) };
}

/** The next `count` events of a stream. */
async function take(stream: AsyncIterator<UserEvent>, count: number): Promise<UserEvent[]> {
  const out: UserEvent[] = [];
  while (out.length < count) {
    const next = await stream.next();
    if (next.done) throw new Error(`the stream ended after ${out.length} events`);
    out.push(next.value);
  }
  return out;
}

/** Whether a stream has an event ready now (a check that ends the test: it leaves a pull behind). */
async function hasMore(stream: AsyncIterator<UserEvent>): Promise<boolean> {
  return Promise.race([stream.next().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20))]);
}
const summary = (events: UserEvent[]) => events.map((event) => `${event.kind} ${event.userId}`);

describe('what a change did', () => {
  it('tells CREATED, UPDATED, DELETED (soft), UNDELETED and DELETED (hard) from the states it saw', async () => {
    const { open, record } = hub();
    const stream = open();
    record(change(user('u1', '1-a')));
    record(change(user('u1', '2-b', { name: 'x' })));
    record(change(user('u1', '3-c', { deleted: 1 })));
    record(change(user('u1', '4-d')));
    record(purge('u1', '5-e'));
    const events = await take(stream, 5);
    expect(summary(events)).toEqual(['CREATED u1', 'UPDATED u1', 'DELETED u1', 'UNDELETED u1', 'DELETED u1']);
    expect(events.at(-1)!.user).toBeNull();
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('without a previous state: a first revision is CREATED, a soft-deleted user DELETED, anything else UPDATED', async () => {
    const { open, record } = hub();
    const stream = open();
    record(change(user('new', '1-a')), change(user('old', '7-a')), change(user('gone', '3-a', { deleted: 5 })));
    expect(summary(await take(stream, 3))).toEqual(['CREATED new', 'UPDATED old', 'DELETED gone']);
  });

  it('learns the state before a change from the user cache, also when a read or own write brought the new revision first', async () => {
    const cache = new UserCache(100, () => true);
    const { open, record } = hub({}, cache);
    cache.of(DB).apply([change(user('u1', '4-a', { deleted: 9 }))]);
    // The gateway's own undelete: its write fills the cache before the feed brings the revision.
    cache.of(DB).fill(user('u1', '5-b'), cache.of(DB).ticket());
    const stream = open();
    record(change(user('u1', '5-b')));
    cache.of(DB).apply([change(user('u1', '5-b'))]);
    expect(summary(await take(stream, 1))).toEqual(['UNDELETED u1']);
  });

  it('ignores replays of a known revision and documents of other types', async () => {
    const { open, record } = hub();
    const stream = open();
    record(change(user('u1', '1-a')));
    record(change(user('u1', '1-a')), change({ _id: 'icure-user-gateway:login:ann', _rev: '1-r', java_type: 'other' }), purge('icure-user-gateway:login:ann', '2-r'));
    expect(summary(await take(stream, 1))).toEqual(['CREATED u1']);
    expect(await hasMore(stream)).toBe(false);
  });

  it('tells a hard delete of a document it never saw only to those who watch that id', async () => {
    const { open, record } = hub();
    const everyUser = open();
    const oneUser = open({ userId: 'x' });
    record(purge('x', '3-z'));
    expect(await hasMore(everyUser)).toBe(false);
    expect(summary(await take(oneUser, 1))).toEqual(['DELETED x']);
  });
});

describe('filters', () => {
  it('by healthcare party: users linked before or after the change, so a user leaving a practice is seen leaving', async () => {
    const { open, record } = hub();
    const practiceA = open({ healthcarePartyId: 'A' });
    const practiceB = open({ healthcarePartyId: 'B' });
    const one = open({ userId: 'u2' });
    record(change(user('u1', '1-a', { healthcarePartyId: 'A' })), change(user('u2', '1-a', { healthcarePartyId: 'B' })));
    record(change(user('u1', '2-b', { healthcarePartyId: 'B' })));
    record(purge('u1', '3-c'));
    expect(summary(await take(practiceA, 2))).toEqual(['CREATED u1', 'UPDATED u1']);
    expect(await hasMore(practiceA)).toBe(false);
    expect(summary(await take(practiceB, 3))).toEqual(['CREATED u2', 'UPDATED u1', 'DELETED u1']);
    expect(summary(await take(one, 1))).toEqual(['CREATED u2']);
    expect(await hasMore(one)).toBe(false);
  });

  it('hands out only users the subscriber may read', async () => {
    const { open, record } = hub();
    const stream = open({}, null, access({ mayRead: (id) => id !== 'secret' }));
    record(change(user('secret', '1-a')), change(user('open', '1-a')));
    expect(summary(await take(stream, 1))).toEqual(['CREATED open']);
    expect(await hasMore(stream)).toBe(false);
  });
});

describe('resuming', () => {
  it('replays what came after a cursor, in order, then goes live, without a gap or a duplicate', async () => {
    const { open, record } = hub();
    const first = open();
    record(change(user('a', '1-a')), change(user('b', '1-a')));
    const [seen] = await take(first, 1);
    await first.return();
    record(change(user('c', '1-a')));
    const resumed = open({}, seen!.cursor);
    record(change(user('d', '1-a')));
    expect(summary(await take(resumed, 3))).toEqual(['CREATED b', 'CREATED c', 'CREATED d']);
    expect(await hasMore(resumed)).toBe(false);
  });

  it("moves an idle subscriber's cursor past events that were not for it, so it does not age out of the window", async () => {
    const { open, record } = hub({ window: 3 });
    const watching = open({ userId: 'mine' });
    const pending = watching.next();
    const startedAt = watching.cursor;
    for (const id of ['a', 'b', 'c', 'd']) record(change(user(id, '1-a')));
    expect(watching.cursor).not.toBe(startedAt);
    expect(watching.settledCursor).toBe(watching.cursor);
    const resumed = open({ userId: 'mine' }, watching.cursor);
    record(change(user('mine', '1-a')));
    expect(summary(await take(resumed, 1))).toEqual(['CREATED mine']);
    expect((await pending).value?.userId).toBe('mine');
  });

  it('refuses with STALE_CURSOR a cursor beyond the window, of another log, or malformed', () => {
    const { open, record } = hub({ window: 3 });
    const other = hub();
    const stream = open();
    for (let i = 0; i < 5; i++) record(change(user(`u${i}`, '1-a')));
    const stale = (after: string) => {
      try {
        open({}, after).return();
        return null;
      } catch (error) {
        return error instanceof GatewayError ? error.code : error;
      }
    };
    expect(stale(stream.cursor.replace(/\.\d+$/, '.1'))).toBe('STALE_CURSOR');
    expect(stale(stream.cursor.replace(/\.\d+$/, '.2'))).toBeNull();
    expect(stale(other.open().cursor)).toBe('STALE_CURSOR');
    expect(stale('garbage')).toBe('STALE_CURSOR');
    expect(stale(stream.cursor.replace(/\.\d+$/, '.99'))).toBe('STALE_CURSOR');
  });
});

describe('limits and ends', () => {
  it('ends a subscriber whose queue overflows with SLOW_CONSUMER and the cursor it resumes from, losing nothing', async () => {
    const { open, record } = hub({ queueMax: 3 });
    const slow = open();
    record(change(user('a', '1-a')));
    const [first] = await take(slow, 1);
    for (const id of ['b', 'c', 'd', 'e']) record(change(user(id, '1-a')));
    const failure = await slow.next().then(
      () => null,
      (error: GatewayError) => error,
    );
    expect(failure).toMatchObject({ code: 'SLOW_CONSUMER', extensions: { cursor: first!.cursor } });
    expect(await slow.next()).toEqual({ done: true, value: undefined });
    expect(summary(await take(open({}, String(failure!.extensions.cursor)), 4))).toEqual(['CREATED b', 'CREATED c', 'CREATED d', 'CREATED e']);
  });

  it('ends a replay the log drops before it is read with SLOW_CONSUMER', async () => {
    const { open, record } = hub({ window: 3 });
    const start = open();
    record(change(user('a', '1-a')));
    const replaying = open({}, start.cursor);
    for (const id of ['b', 'c', 'd']) record(change(user(id, '1-a')));
    await expect(replaying.next()).rejects.toMatchObject({ code: 'SLOW_CONSUMER' });
  });

  it('limits subscriptions per caller and per instance, and counts the ended ones out', async () => {
    const { events, open } = hub({ maxSubscriptions: 3, perCaller: 2 });
    const a1 = open({}, null, access(), 'a');
    open({}, null, access(), 'a');
    expect(() => open({}, null, access(), 'a')).toThrow(expect.objectContaining({ code: 'TOO_MANY_REQUESTS', extensions: expect.objectContaining({ limit: 2 }) }));
    open({}, null, access(), 'b');
    expect(() => open({}, null, access(), 'c')).toThrow(expect.objectContaining({ code: 'TOO_MANY_REQUESTS', extensions: expect.objectContaining({ limit: 3 }) }));
    await a1.return();
    expect(events.size).toBe(2);
    open({}, null, access(), 'a');
    expect(events.size).toBe(3);
  });

  it('re-checks the caller on every change of its document, ending the stream at once when it is revoked', async () => {
    const { events, open, record } = hub();
    let revoked = false;
    const subscriber = access({ refusal: () => (revoked ? new GatewayError('UNAUTHENTICATED', 'gone') : null) });
    subscriber.callerChanged = (caller) => {
      subscriber.callers.push(caller);
      revoked = caller?.status === 'DISABLED';
    };
    const stream = open({ userId: 'caller' }, null, subscriber);
    record(change(user('caller', '2-a', { name: 'renamed' })));
    record(change(user('caller', '3-a', { status: 'DISABLED' })));
    expect(subscriber.callers.map((caller) => caller?._rev)).toEqual(['2-a', '3-a']);
    expect(events.size).toBe(0);
    // Ended at once: what was queued before is dropped with it.
    await expect(stream.next()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await stream.next()).toMatchObject({ done: true });
  });

  it('ends a waiting stream at once on return() (the client went away)', async () => {
    const { events, open } = hub();
    const stream = open();
    const pending = stream.next();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(events.size).toBe(0);
  });

  it('on close, ends every stream with SERVICE_UNAVAILABLE and its cursor, and refuses new ones', async () => {
    const { events, open, record } = hub();
    const stream = open();
    record(change(user('a', '1-a')));
    const [last] = await take(stream, 1);
    const pending = stream.next();
    events.close();
    await expect(pending).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', extensions: { cursor: last!.cursor } });
    expect(() => open()).toThrow(expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }));
  });
});
