import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredUser } from '../src/users/stored-user.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

const PAGE = `
  totalCount
  edges { cursor node { id login } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  nextKeyPair { startKey startKeyDocId }
`;

type Doc = Omit<StoredUser, '_rev'>;

/** CouchDB's order for the `[login, _id]` keys used here: null first, then strings. */
function loginOrder(a: Doc, b: Doc): number {
  const la = a.login ?? null;
  const lb = b.login ?? null;
  if (la !== lb) {
    if (la === null) return -1;
    if (lb === null) return 1;
    return la < lb ? -1 : 1;
  }
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

function expectedOrder(docs: Doc[], skipPatients: boolean): string[] {
  return docs
    .filter((doc) => !doc.deleted)
    .filter((doc) => !skipPatients || !(doc.patientId && !doc.healthcarePartyId))
    .sort(loginOrder)
    .map((doc) => doc._id);
}

async function usersPage(groupId: string, args: string) {
  const response = await t.graphql(`{ users(groupId: "${groupId}", ${args}) { ${PAGE} } }`);
  expect(response.errors).toBeUndefined();
  return response.data.users;
}

const ids = (page: any): string[] => page.edges.map((edge: any) => edge.node.id);

let groupCounter = 0;
async function groupWith(docs: Doc[]): Promise<string> {
  const groupId = `p${groupCounter++}`;
  await t.admin.createDatabase(`${t.prefix}-${groupId}-base`);
  if (docs.length) await t.admin.insert(`${t.prefix}-${groupId}-base`, docs);
  return groupId;
}

// Logins from a tiny alphabet, so that many users share a login or a prefix.
const docArbitrary = fc.record({
  login: fc.option(fc.stringMatching(/^[ab]{1,3}$/), { nil: null, freq: 8 }),
  patient: fc.boolean(),
  hcp: fc.boolean(),
  deleted: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  // Random first, so that the id order among equal logins is not the insertion order.
  idPrefix: fc.stringMatching(/^[0-9a-f]{4}$/),
});
const datasetArbitrary = fc.array(docArbitrary, { maxLength: 40 }).map((specs) =>
  specs.map((spec, index) =>
    icureUser({
      _id: `${spec.idPrefix}-${index}`,
      login: spec.login,
      ...(spec.patient ? { patientId: `pat-${index}` } : {}),
      ...(spec.hcp ? { healthcarePartyId: `hcp-${index}` } : {}),
      ...(spec.deleted ? { deleted: 1_700_000_000_000 } : {}),
    }),
  ),
);

describe('users connection: property', () => {
  it('pages forwards, backwards and by nextKeyPair without skipping or repeating', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArbitrary, fc.integer({ min: 1, max: 7 }), fc.boolean(), async (docs, size, skipPatients) => {
        const groupId = await groupWith(docs);
        const expected = expectedOrder(docs, skipPatients);
        const common = `skipPatients: ${skipPatients}`;

        // Forwards with Relay cursors.
        const forward: string[] = [];
        let after: string | null = null;
        for (let index = 0; ; index++) {
          const page: any = await usersPage(groupId, `${common}, first: ${size}${after ? `, after: "${after}"` : ''}`);
          expect(page.totalCount).toBe(expected.length);
          expect(page.pageInfo.hasPreviousPage).toBe(index > 0 && forward.length > 0);
          forward.push(...ids(page));
          const following = expected[forward.length];
          expect(page.pageInfo.hasNextPage).toBe(following !== undefined);
          expect(page.nextKeyPair?.startKeyDocId ?? null).toBe(following ?? null);
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(forward).toEqual(expected);

        // Forwards with iCure's startKey/startDocumentId, taken from nextKeyPair.
        const icure: string[] = [];
        let start: { startKey: string | null; startKeyDocId: string } | null = null;
        do {
          const startArgs: string = start ? `, startKey: ${JSON.stringify(start.startKey)}, startDocumentId: "${start.startKeyDocId}"` : '';
          const page: any = await usersPage(groupId, `${common}, first: ${size}${startArgs}`);
          icure.push(...ids(page));
          start = page.nextKeyPair;
        } while (start);
        expect(icure).toEqual(expected);

        // Backwards with Relay cursors.
        const backward: string[] = [];
        let before: string | null = null;
        for (;;) {
          const page: any = await usersPage(groupId, `${common}, last: ${size}${before ? `, before: "${before}"` : ''}`);
          backward.unshift(...ids(page));
          const remaining = expected.length - backward.length;
          expect(page.pageInfo.hasPreviousPage).toBe(remaining > 0);
          expect(page.pageInfo.hasNextPage).toBe(before !== null && expected.length > 0);
          if (!page.pageInfo.hasPreviousPage) break;
          before = page.pageInfo.startCursor;
        }
        expect(backward).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});

describe('users connection: cases', () => {
  let groupId: string;
  const docs = ['c', 'a', 'b', 'b', 'b', 'd'].map((login, index) => icureUser({ _id: `id-${index}`, login }));
  beforeAll(async () => {
    groupId = await groupWith(docs);
  });

  it('starts at a bare startKey, before every user with that login', async () => {
    const page = await usersPage(groupId, 'startKey: "b", first: 2');
    expect(ids(page)).toEqual(['id-2', 'id-3']);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
    expect(page.nextKeyPair).toEqual({ startKey: 'b', startKeyDocId: 'id-4' });
  });

  it('resumes after a cursor whose user was deleted meanwhile', async () => {
    const first = await usersPage(groupId, 'first: 3');
    expect(ids(first)).toEqual(['id-1', 'id-2', 'id-3']);
    const [row] = await t.admin.insert(`${t.prefix}-${groupId}-base`, [
      { ...docs[3], _rev: (await t.admin.get(`${t.prefix}-${groupId}-base`, 'id-3')).body._rev, deleted: Date.now() },
    ]);
    expect(row?.rev).toMatch(/^2-/);
    const next = await usersPage(groupId, `first: 3, after: "${first.pageInfo.endCursor}"`);
    expect(ids(next)).toEqual(['id-4', 'id-0', 'id-5']);
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    expect(next.pageInfo.hasNextPage).toBe(false);
    expect(next.nextKeyPair).toBeNull();
  });

  it('answers first: 0 with an empty page that still knows what follows', async () => {
    const page = await usersPage(groupId, 'first: 0');
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('defaults to 100 per page', async () => {
    const many = Array.from({ length: 130 }, (_, index) => icureUser({ _id: `m-${String(index).padStart(3, '0')}`, login: 'same' }));
    const page = await usersPage(await groupWith(many), '');
    expect(page.edges).toHaveLength(100);
    expect(page.totalCount).toBe(130);
    expect(page.nextKeyPair).toEqual({ startKey: 'same', startKeyDocId: 'm-100' });
  });
});

describe('users connection: bad arguments', () => {
  const cases: [string, string][] = [
    ['first: 1001', 'first'],
    ['first: -1', 'first'],
    ['last: 5000', 'last'],
    ['first: 2, last: 2', 'last'],
    ['after: "not-a-cursor"', 'after'],
    ['before: "bm9wZQ"', 'before'],
    ['first: 2, before: "WyJhIiwiaWQtMCJd"', 'before'],
    ['after: "WyJhIiwiaWQtMCJd", startKey: "a"', 'after'],
    ['last: 2, startKey: "a"', 'last'],
    ['startDocumentId: "a/b"', 'startDocumentId'],
  ];
  it.each(cases)('%s is BAD_USER_INPUT on %s', async (args, field) => {
    const response = await t.graphql(`{ users(${args}) { totalCount } }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
