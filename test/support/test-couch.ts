import { startEmbeddedStore } from '../../src/couch/embedded-store.js';

/** The CouchDB the tests run against: `COUCHDB_URL` when set, else an in-memory embedded store. */
export interface TestCouch {
  /** Base URL, credentials included when the server needs them. */
  url: string;
  close(): Promise<void>;
}

export async function startTestCouch(): Promise<TestCouch> {
  const external = process.env.COUCHDB_URL;
  if (external) return { url: external.replace(/\/+$/, ''), close: async () => {} };
  const store = await startEmbeddedStore({ kind: 'memory' });
  return { url: store.url, close: () => store.close() };
}

/** Talks to CouchDB directly, as iCure itself would, to arrange and inspect data. */
export class CouchAdmin {
  private readonly base: string;
  private readonly authorization: string | undefined;

  constructor(url: string) {
    const parsed = new URL(url);
    this.authorization = parsed.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
      : undefined;
    parsed.username = '';
    parsed.password = '';
    this.base = parsed.toString().replace(/\/+$/, '');
  }

  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.base}/${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(this.authorization ? { authorization: this.authorization } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async createDatabase(db: string): Promise<void> {
    const { status, body } = await this.request('PUT', encodeURIComponent(db));
    if (status !== 201 && status !== 202 && status !== 412) throw new Error(`PUT ${db}: ${status} ${JSON.stringify(body)}`);
  }

  async deleteDatabase(db: string): Promise<void> {
    await this.request('DELETE', encodeURIComponent(db));
  }

  /** Writes documents as they are (`_bulk_docs`), failing on any rejected row. */
  async insert(db: string, docs: object[]): Promise<{ id: string; rev: string }[]> {
    const results: { id: string; rev: string }[] = [];
    for (let offset = 0; offset < docs.length; offset += 1000) {
      const { status, body } = await this.request('POST', `${encodeURIComponent(db)}/_bulk_docs`, { docs: docs.slice(offset, offset + 1000) });
      if (status !== 201) throw new Error(`_bulk_docs ${db}: ${status} ${JSON.stringify(body)}`);
      for (const row of body) {
        if (row.error) throw new Error(`_bulk_docs ${db}: ${row.id} ${row.error} ${row.reason}`);
        results.push({ id: row.id, rev: row.rev });
      }
    }
    return results;
  }

  async get(db: string, id: string): Promise<{ status: number; body: any }> {
    const path = id.startsWith('_design/') ? `_design/${encodeURIComponent(id.slice(8))}` : encodeURIComponent(id);
    return this.request('GET', `${encodeURIComponent(db)}/${path}`);
  }

  /** Every document of a database, design documents included. */
  async allDocs(db: string): Promise<any[]> {
    const { body } = await this.request('GET', `${encodeURIComponent(db)}/_all_docs?include_docs=true`);
    return body.rows.map((row: { doc: unknown }) => row.doc);
  }

  async databases(): Promise<string[]> {
    return (await this.request('GET', '_all_dbs')).body;
  }
}
