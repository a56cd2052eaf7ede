import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedStore, type EmbeddedStore } from '../src/couch/embedded-store.js';

// The embedded store answers `_all_docs` with `keys` by a lookup per key
// (src/couch/keyed-all-docs.ts). Its rows must be exactly PouchDB's own, which any
// other option (here `conflicts: false`, the default) still produces.
let store: EmbeddedStore;
const db = 'keyed-all-docs';
const live = ['a', 'b', 'c', 'user-1', 'user-2'];
const deleted = ['gone-1', 'gone-2'];
const missing = ['never', 'nope'];

async function couch(method: string, path: string, body?: unknown) {
  const response = await fetch(`${store.url}/${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  store = await startEmbeddedStore({ kind: 'memory' });
  await couch('PUT', db);
  await couch('POST', `${db}/_bulk_docs`, { docs: [...live, ...deleted].map((id, index) => ({ _id: id, login: `login-${index}` })) });
  for (const id of deleted) {
    const { body } = await couch('GET', `${db}/${id}`);
    await couch('DELETE', `${db}/${id}?rev=${body._rev}`);
  }
  await couch('PUT', `${db}/_design/views`, { views: {} });
  // A conflict: two leaves of one document, the winner chosen by CouchDB's rules.
  await couch('POST', `${db}/_bulk_docs`, { new_edits: false, docs: [{ _id: 'user-2', _rev: '1-ffffffffffffffffffffffffffffffff', login: 'other branch' }] });
});
afterAll(() => store?.close());

describe('_all_docs with keys in the embedded store', () => {
  it('answers live, deleted, missing, design and conflicted documents as PouchDB does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...live, ...deleted, ...missing, '_design/views', '_local/x'), { maxLength: 12 }),
        fc.boolean(),
        async (keys, includeDocs) => {
          const query = includeDocs ? '?include_docs=true' : '';
          const keyed = await couch('POST', `${db}/_all_docs${query}`, { keys });
          const pouchOwn = await couch('POST', `${db}/_all_docs${query}`, { keys, conflicts: false });
          expect(keyed.status).toBe(200);
          expect(keyed.body.rows).toEqual(pouchOwn.body.rows);
          expect(keyed.body.total_rows).toBe(pouchOwn.body.total_rows);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a live document by its key', async () => {
    const { body } = await couch('POST', `${db}/_all_docs?include_docs=true`, { keys: ['a', 'gone-1', 'never'] });
    expect(body.rows[0]).toMatchObject({ id: 'a', key: 'a', doc: { _id: 'a', login: 'login-0' } });
    expect(body.rows[1]).toMatchObject({ id: 'gone-1', value: { deleted: true }, doc: null });
    expect(body.rows[2]).toEqual({ key: 'never', error: 'not_found' });
  });
});
