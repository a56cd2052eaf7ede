import { beforeAll, describe, expect, it } from 'vitest';
import { useTestCouch } from './support/test-gateway.js';

// The embedded store compiles view functions once per build instead of once per
// document (src/couch/embedded-views.ts); these are the CouchDB semantics it keeps,
// checked on whichever store the suite runs against.
const file = useTestCouch();
const db = `${file.newPrefix()}-views`;

beforeAll(async () => {
  await file.admin.createDatabase(db);
  await file.admin.insert(db, [
    { _id: 'a', n: 1, pair: [1, 2], tags: ['x'] },
    { _id: 'b', n: 2, pair: [3, 4], tags: ['y', 'z'] },
    { _id: 'c', n: 4, pair: [5, 6] },
    {
      _id: '_design/semantics',
      language: 'javascript',
      views: {
        // Documents are deep-frozen: a map function cannot change what it or the next one sees.
        mutates: { map: 'function (doc) { doc.n = 100; doc.added = true; emit(doc._id, doc.n); }' },
        sees: { map: 'function (doc) { emit(doc._id, [doc.n, doc.added === undefined]); }' },
        helpers: { map: 'function (doc) { if (isArray(doc.tags)) { emit(doc._id, [toJSON(doc.tags), sum(doc.pair)]); } }' },
        // A document the function throws on is left out; the others are indexed.
        throws: { map: 'function (doc) { if (doc.n === 2) { throw new Error("no"); } emit(doc.n, null); }' },
        count: { map: 'function (doc) { emit(doc._id, doc.n); }', reduce: '_count' },
        sum: { map: 'function (doc) { emit(doc._id, doc.n); }', reduce: '_sum' },
        sumArrays: { map: 'function (doc) { emit(doc._id, doc.pair); }', reduce: '_sum' },
        stats: { map: 'function (doc) { emit(doc._id, doc.n); }', reduce: '_stats' },
        custom: { map: 'function (doc) { emit(doc._id, doc.n); }', reduce: 'function (keys, values, rereduce) { return rereduce ? sum(values) : sum(values) * 10; }' },
      },
    },
  ]);
});

async function query(view: string, params = ''): Promise<{ key: unknown; value: unknown }[]> {
  const { status, body } = await file.admin.request('GET', `${db}/_design/semantics/_view/${view}${params}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.rows.map(({ key, value }: { key: unknown; value: unknown }) => ({ key, value }));
}

describe('view functions, as CouchDB runs them', () => {
  it('map functions get a frozen copy of each document', async () => {
    expect(await query('mutates')).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 2 },
      { key: 'c', value: 4 },
    ]);
    expect(await query('sees')).toEqual([
      { key: 'a', value: [1, true] },
      { key: 'b', value: [2, true] },
      { key: 'c', value: [4, true] },
    ]);
    expect((await file.admin.get(db, 'a')).body).toMatchObject({ n: 1 });
  });

  it("offer CouchDB's isArray, toJSON and sum, and skip a document the function throws on", async () => {
    expect(await query('helpers')).toEqual([
      { key: 'a', value: ['["x"]', 3] },
      { key: 'b', value: ['["y","z"]', 7] },
    ]);
    expect(await query('throws')).toEqual([
      { key: 1, value: null },
      { key: 4, value: null },
    ]);
  });

  it('reduce with the built-ins _count, _sum (numbers and arrays), _stats, and with a JavaScript function', async () => {
    expect(await query('count')).toEqual([{ key: null, value: 3 }]);
    expect(await query('sum')).toEqual([{ key: null, value: 7 }]);
    expect(await query('sumArrays')).toEqual([{ key: null, value: [9, 12] }]);
    expect(await query('stats')).toEqual([{ key: null, value: { sum: 7, count: 3, min: 1, max: 4, sumsqr: 21 } }]);
    expect(await query('count', '?group=true')).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 1 },
      { key: 'c', value: 1 },
    ]);
    // CouchDB reduces each shard, then rereduces; the embedded store reduces once.
    expect(await query('custom')).toEqual([{ key: null, value: 70 }]);
  });
});
