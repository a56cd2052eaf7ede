import { describe, expect, it } from 'vitest';
import type { ChangeRow } from '../../src/couch/change-feed.js';
import { USER_JAVA_TYPE, type StoredUser } from '../../src/users/stored-user.js';
import { UserCache } from '../../src/users/user-cache.js';

function user(id: string, rev: string, fields: Partial<StoredUser> = {}): StoredUser {
  return { _id: id, _rev: rev, java_type: USER_JAVA_TYPE, status: 'ACTIVE', ...fields } as StoredUser;
}

const change = (doc: StoredUser): ChangeRow => ({ id: doc._id, rev: doc._rev, deleted: false, doc: doc as unknown as Record<string, unknown> });
const deletion = (id: string, rev: string): ChangeRow => ({ id, rev, deleted: true, doc: { _id: id, _rev: rev, _deleted: true } });

function liveCache(max = 100) {
  let live = true;
  const shared = new UserCache(max, () => live);
  return { cache: shared.of('db'), shared, setLive: (value: boolean) => (live = value) };
}

describe('the user cache of one database', () => {
  it('answers only while its feed is live', () => {
    const { cache, setLive } = liveCache();
    cache.apply([change(user('u1', '1-a', { login: 'ann' }))]);
    expect(cache.get('u1')?._rev).toBe('1-a');
    setLive(false);
    expect(cache.get('u1')).toBeUndefined();
    expect(cache.find('login', 'ann')).toBeUndefined();
  });

  it('hands out an object per answer over frozen parts: nobody changes the cache in place', () => {
    const { cache } = liveCache();
    cache.apply([change(user('u1', '1-a', { login: 'ann', roles: ['A'] }))]);
    const answer = cache.get('u1')!;
    expect(answer).not.toBe(cache.get('u1'));
    answer.login = 'changed';
    expect(() => answer.roles!.push('B')).toThrow(TypeError);
    expect(cache.get('u1')).toMatchObject({ login: 'ann', roles: ['A'] });

    const filled = user('u2', '1-a', { roles: ['A'] });
    cache.fill(filled, cache.ticket());
    filled.roles!.push('B');
    expect(cache.get('u2')?.roles).toEqual(['A']);
  });

  it('replaces on every revision the feed shows, lower generations included (a conflict winner)', () => {
    const { cache } = liveCache();
    cache.apply([change(user('u1', '3-c', { name: 'new' }))]);
    cache.apply([change(user('u1', '1-f', { name: 'old branch' }))]);
    expect(cache.get('u1')).toMatchObject({ _rev: '1-f', name: 'old branch' });
  });

  it('keeps a read only if the feed changed nothing of that document since the read began', () => {
    const { cache } = liveCache();
    const before = cache.ticket();
    cache.apply([change(user('u1', '2-b'))]);
    cache.fill(user('u1', '1-a'), before);
    expect(cache.get('u1')?._rev).toBe('2-b');

    cache.fill(user('u2', '1-a'), cache.ticket());
    expect(cache.get('u2')?._rev).toBe('1-a');
  });

  it('marks deletions (and other document types) as not users, so a late read cannot bring them back', () => {
    const { cache } = liveCache();
    const before = cache.ticket();
    cache.apply([deletion('u1', '2-d'), change({ _id: 'r1', _rev: '1-r' } as StoredUser)]);
    cache.fill(user('u1', '1-a'), before);
    expect(cache.get('u1')).toBeNull();
    expect(cache.get('r1')).toBeNull();
    expect(cache.get('never-seen')).toBeUndefined();
  });

  it('keeps the login and email index right when they change, are freed, or the user is deleted', () => {
    const { cache } = liveCache();
    cache.apply([change(user('u1', '1-a', { login: 'ann', email: 'ann@example.org' }))]);
    expect(cache.find('login', 'ann')?._id).toBe('u1');
    expect(cache.find('email', 'ann@example.org')?._id).toBe('u1');

    cache.apply([change(user('u1', '2-a', { login: 'anna', email: 'ann@example.org' }))]);
    expect(cache.find('login', 'ann')).toBeUndefined();
    expect(cache.find('login', 'anna')?._id).toBe('u1');

    cache.apply([change(user('u1', '3-a', { login: 'anna', email: 'ann@example.org', deleted: 1 }))]);
    expect(cache.find('login', 'anna')).toBeUndefined();
    expect(cache.get('u1')?.deleted).toBe(1);

    cache.apply([change(user('u2', '1-b', { login: 'bob' })), deletion('u2', '2-b')]);
    expect(cache.find('login', 'bob')).toBeUndefined();
  });

  it('keeps databases apart under one bound', () => {
    const shared = new UserCache(10, () => true);
    shared.of('a').apply([change(user('u1', '1-a', { login: 'ann' }))]);
    expect(shared.of('b').get('u1')).toBeUndefined();
    expect(shared.of('b').find('login', 'ann')).toBeUndefined();
    expect(shared.of('a').get('u1')?.login).toBe('ann');
  });

  it('picks the smallest id when several cached users share a login, as the view orders them', () => {
    const { cache } = liveCache();
    cache.apply([change(user('u9', '1-a', { login: 'dup' })), change(user('u3', '1-a', { login: 'dup' }))]);
    expect(cache.find('login', 'dup')?._id).toBe('u3');
  });

  it('stays within its bound, and forgets the identifiers of what it evicts', () => {
    const { cache, shared } = liveCache(2);
    cache.apply([change(user('u1', '1-a', { login: 'one' })), change(user('u2', '1-a', { login: 'two' })), change(user('u3', '1-a', { login: 'three' }))]);
    expect(shared.size).toBe(2);
    expect(cache.get('u1')).toBeUndefined();
    expect(cache.find('login', 'one')).toBeUndefined();
    expect(cache.find('login', 'three')?._id).toBe('u3');
  });

  it('keeps view answers until the database changes: news from the feed or an own write drops them', () => {
    const { cache, setLive } = liveCache();
    cache.apply([change(user('u1', '1-a', { login: 'ann' }))]);
    const keep = (key: string, value: unknown) => cache.keepViewAnswer(key, value, cache.viewTicket());

    keep('page', [{ key: ['ann', 'u1'], id: 'u1' }]);
    expect(cache.viewAnswer('page')).toEqual([{ key: ['ann', 'u1'], id: 'u1' }]);
    setLive(false);
    expect(cache.viewAnswer('page')).toBeUndefined();
    setLive(true);

    // A replay of a cached revision is no change; a new revision is.
    cache.apply([change(user('u1', '1-a', { login: 'ann' }))]);
    expect(cache.viewAnswer('page')).toBeDefined();
    cache.apply([change(user('u2', '1-a', { login: 'bob' }))]);
    expect(cache.viewAnswer('page')).toBeUndefined();

    keep('count', 2);
    cache.wrote(user('u3', '1-a', { login: 'cid' }), cache.ticket());
    expect(cache.viewAnswer('count')).toBeUndefined();
    expect(cache.get('u3')?.login).toBe('cid');
  });

  it('does not keep a view answer that a change overtook while it was read', () => {
    const { cache, setLive } = liveCache();
    const before = cache.viewTicket();
    cache.apply([change(user('u1', '1-a', { login: 'ann' }))]);
    cache.keepViewAnswer('count', 0, before);
    expect(cache.viewAnswer('count')).toBeUndefined();

    setLive(false);
    cache.keepViewAnswer('count', 1, cache.viewTicket());
    setLive(true);
    expect(cache.viewAnswer('count')).toBeUndefined();
  });
});
