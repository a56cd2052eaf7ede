import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import type { StoredUser } from '../../src/users/stored-user.js';
import { cursorSchema, decodeCursor, encodeCursor, type LoginPosition } from '../../src/users/user-cursor.js';
import { DEFAULT_PAGE_SIZE, pageStart, paginationView, readUserPage, type PageStart, type ViewRanges } from '../../src/users/user-pages.js';
import type { ViewRangeQuery } from '../../src/users/user-repository.js';
import { views } from '../../src/users/user-views.js';
import { icureUser } from '../support/user-documents.js';

/** CouchDB's collation of the `[login, _id]` keys used here: null before strings, a shorter array before its extensions. */
function collate(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = collate(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return String(a) < String(b) ? -1 : 1;
}

/**
 * A view's rows in memory, answering `range` (and `rangeKeys`) as CouchDB answers a view query with
 * startkey, descending and limit; it counts the queries, as a page's cost is what is tested.
 */
function viewOf(positions: LoginPosition[]): ViewRanges & { queries: ViewRangeQuery[] } {
  const rows = [...positions].sort(collate).map((key) => ({ key, user: { ...icureUser({ _id: key[1] }), _rev: '1-a' } as StoredUser }));
  const queries: ViewRangeQuery[] = [];
  const range = (query: ViewRangeQuery) => {
    queries.push(query);
    const ordered = query.descending ? [...rows].reverse() : rows;
    const from = query.startkey === undefined ? 0 : ordered.findIndex((row) => collate(row.key, query.startkey) * (query.descending ? -1 : 1) >= 0);
    return from < 0 ? [] : ordered.slice(from, from + query.limit);
  };
  return {
    queries,
    range: async (_view, query) => range(query),
    rangeKeys: async (_view, query) => range(query).map((row) => ({ key: row.key, id: row.user._id })),
  };
}

// Runs of equal logins (and users without one) across page boundaries are where keyset paging goes wrong.
const POSITIONS: LoginPosition[] = [
  [null, 'n1'],
  ['amy', 'a1'],
  ['bob', 'b1'],
  ['bob', 'b2'],
  ['bob', 'b3'],
  ['bob', 'b4'],
  ['carl', 'c1'],
  ['dora', 'd1'],
];

const read = (view: ViewRanges, start: PageStart, size: number) => readUserPage(view, { start, size, skipPatients: false });
const positionsOf = (page: { users: { position: LoginPosition }[] }) => page.users.map((user) => user.position);

describe('readUserPage', () => {
  it('reads every user once, forwards with `after` cursors, whatever the page size', async () => {
    for (const size of [1, 2, 3, 5, 8, 20]) {
      const view = viewOf(POSITIONS);
      const seen: LoginPosition[] = [];
      let page = await read(view, { kind: 'first' }, size);
      expect(page.hasPreviousPage).toBe(false);
      seen.push(...positionsOf(page));
      while (page.hasNextPage) {
        const last = page.users.at(-1)!.position;
        page = await read(view, { kind: 'after', position: last }, size);
        expect(page.hasPreviousPage).toBe(true);
        seen.push(...positionsOf(page));
      }
      expect(seen).toEqual(POSITIONS);
      // One range query per page: the row after the page tells whether a page follows.
      expect(view.queries).toHaveLength(Math.max(1, Math.ceil(POSITIONS.length / size)));
    }
  });

  it('reads every user once, backwards with `before` cursors', async () => {
    const view = viewOf(POSITIONS);
    let page = await read(view, { kind: 'last' }, 3);
    expect(page.hasNextPage).toBe(false);
    const seen = [positionsOf(page)];
    while (page.hasPreviousPage) {
      page = await read(view, { kind: 'before', position: page.users[0]!.position }, 3);
      expect(page.hasNextPage).toBe(true);
      seen.unshift(positionsOf(page));
    }
    expect(seen.flat()).toEqual(POSITIONS);
  });

  it("names the user after the page (iCure's nextKeyPair), and reads from it inclusively", async () => {
    const view = viewOf(POSITIONS);
    const first = await read(view, { kind: 'first' }, 3);
    expect(first.next).toEqual(['bob', 'b2']);
    const second = await read(view, { kind: 'from', position: first.next! }, 3);
    expect(positionsOf(second)).toEqual([
      ['bob', 'b2'],
      ['bob', 'b3'],
      ['bob', 'b4'],
    ]);
    expect(second.next).toEqual(['carl', 'c1']);
    expect(second.hasPreviousPage).toBe(true);
  });

  it('starts a bare startKey (a login alone) before every user with that login', async () => {
    const page = await read(viewOf(POSITIONS), { kind: 'from', position: ['bob'] }, 2);
    expect(positionsOf(page)).toEqual([
      ['bob', 'b1'],
      ['bob', 'b2'],
    ]);
    expect(page.hasPreviousPage).toBe(true);
  });

  it("neither skips nor repeats a user when the cursor's user is gone, at one more query", async () => {
    const view = viewOf(POSITIONS.filter(([, id]) => id !== 'b2'));
    const page = await read(view, { kind: 'after', position: ['bob', 'b2'] }, 2);
    expect(positionsOf(page)).toEqual([
      ['bob', 'b3'],
      ['bob', 'b4'],
    ]);
    expect(page.hasPreviousPage).toBe(true);
    expect(view.queries).toHaveLength(2);
    const backwards = await read(view, { kind: 'before', position: ['bob', 'b2'] }, 2);
    expect(positionsOf(backwards)).toEqual([
      ['amy', 'a1'],
      ['bob', 'b1'],
    ]);
    expect(backwards.next).toEqual(['bob', 'b3']);
  });

  it('answers an empty page at either end', async () => {
    const view = viewOf(POSITIONS);
    const beyond = await read(view, { kind: 'after', position: ['dora', 'd1'] }, 2);
    expect(beyond).toMatchObject({ users: [], hasNextPage: false, hasPreviousPage: true, next: null });
    const empty = await read(viewOf([]), { kind: 'first' }, 2);
    expect(empty).toMatchObject({ users: [], hasNextPage: false, hasPreviousPage: false, next: null });
  });

  it("reads the list without patient-only users unless asked for all (iCure's skipPatients)", () => {
    expect(paginationView(true)).toBe(views.nonPatientsByLoginAndId);
    expect(paginationView(false)).toBe(views.allByLoginAndId);
  });
});

describe('pageStart', () => {
  const refusal = (args: Parameters<typeof pageStart>[0]) => {
    try {
      pageStart(args);
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      return (error as GatewayError).extensions;
    }
    throw new Error(`accepted ${JSON.stringify(args)}`);
  };
  const cursor = encodeCursor(['bob', 'b2']);

  it('reads forwards from the start by default, 100 at a time', () => {
    expect(pageStart({})).toEqual({ start: { kind: 'first' }, size: DEFAULT_PAGE_SIZE });
    expect(pageStart({ first: 5 })).toEqual({ start: { kind: 'first' }, size: 5 });
  });

  it('turns cursors and iCure keys into page starts', () => {
    expect(pageStart({ first: 5, after: cursor })).toEqual({ start: { kind: 'after', position: ['bob', 'b2'] }, size: 5 });
    expect(pageStart({ last: 5, before: cursor })).toEqual({ start: { kind: 'before', position: ['bob', 'b2'] }, size: 5 });
    expect(pageStart({ last: 5 })).toEqual({ start: { kind: 'last' }, size: 5 });
    expect(pageStart({ startKey: 'bob', startDocumentId: 'b2' })).toEqual({ start: { kind: 'from', position: ['bob', 'b2'] }, size: DEFAULT_PAGE_SIZE });
    expect(pageStart({ startKey: 'bob' })).toEqual({ start: { kind: 'from', position: ['bob'] }, size: DEFAULT_PAGE_SIZE });
    expect(pageStart({ startDocumentId: 'n1' })).toEqual({ start: { kind: 'from', position: [null, 'n1'] }, size: DEFAULT_PAGE_SIZE });
  });

  it('refuses arguments that do not go together, naming one of them', () => {
    expect(refusal({ first: 1, last: 1 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    expect(refusal({ before: cursor, after: cursor })).toMatchObject({ field: 'before' });
    expect(refusal({ before: cursor, first: 1 })).toMatchObject({ field: 'before' });
    expect(refusal({ before: cursor, startKey: 'bob' })).toMatchObject({ field: 'before' });
    expect(refusal({ after: cursor, startDocumentId: 'b2' })).toMatchObject({ field: 'after' });
    expect(refusal({ last: 1, after: cursor })).toMatchObject({ field: 'last' });
    expect(refusal({ last: 1, startKey: 'bob' })).toMatchObject({ field: 'last' });
  });

  it('refuses a cursor that is not one of ours', () => {
    expect(refusal({ after: 'not-a-cursor' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(refusal({ last: 2, before: encodeCursor(['bob', 'b2']).slice(1) })).toMatchObject({ field: 'before' });
  });
});

describe('cursors', () => {
  it('encode a position opaquely and decode it back', () => {
    for (const position of POSITIONS) {
      const cursor = encodeCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(position);
    }
  });

  it('decode anything else to null, and fail the argument check', () => {
    const foreign = [
      '',
      'not base64 at all!',
      Buffer.from('{"login":"bob"}').toString('base64url'),
      Buffer.from('["bob"]').toString('base64url'),
      Buffer.from('["bob",""]').toString('base64url'),
      Buffer.from('[1,"b2"]').toString('base64url'),
    ];
    for (const cursor of foreign) {
      expect(decodeCursor(cursor)).toBeNull();
      expect(cursorSchema.safeParse(cursor).success).toBe(false);
    }
  });
});
