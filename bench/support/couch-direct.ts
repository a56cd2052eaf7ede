import type autocannon from 'autocannon';

const USER_JAVA_TYPE = 'org.taktik.icure.entities.User';

/**
 * Direct HTTP access to the CouchDB the gateway uses, for the baselines and to find
 * seeded users. Credentials in the URL become an Authorization header: autocannon
 * takes an origin and paths, not a URL with credentials.
 */
export class DirectCouch {
  /** e.g. `http://127.0.0.1:5984`. */
  readonly origin: string;
  /** A path prefix of the URL (CouchDB behind a proxy path), without a trailing slash. */
  private readonly pathPrefix: string;
  private readonly headers: Record<string, string>;

  constructor(url: string) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.pathPrefix = parsed.pathname.replace(/\/+$/, '');
    const { username, password } = parsed;
    this.headers = username ? { authorization: `Basic ${Buffer.from(`${decodeURIComponent(username)}:${decodeURIComponent(password)}`).toString('base64')}` } : {};
  }

  /** `GET /<db>/<id>`, with the store's credentials if any: what one gateway read of a user costs at least. */
  documentRequest(database: string, id: string): autocannon.Request {
    return { method: 'GET', path: this.path(database, encodeURIComponent(id)), headers: { ...this.headers } };
  }

  /** One document as CouchDB holds it now. */
  async document(database: string, id: string): Promise<Record<string, unknown> & { _rev: string }> {
    return (await this.json('GET', this.path(database, encodeURIComponent(id)))) as Record<string, unknown> & { _rev: string };
  }

  /** Writes a document as another writer (iCure itself) would; returns its new revision. */
  async putDocument(database: string, doc: { _id: string } & Record<string, unknown>): Promise<string> {
    const response = await fetch(`${this.origin}${this.path(database, encodeURIComponent(doc._id))}`, {
      method: 'PUT',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    if (response.status !== 201 && response.status !== 202) throw new Error(`PUT ${doc._id} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { rev: string }).rev;
  }

  /** Writes new documents in one `_bulk_docs`; returns their revisions, in order. */
  async insertMany(database: string, docs: ({ _id: string } & Record<string, unknown>)[]): Promise<string[]> {
    const response = await fetch(`${this.origin}${this.path(database, '_bulk_docs')}`, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ docs }),
    });
    if (response.status !== 201) throw new Error(`_bulk_docs answered ${response.status}: ${await response.text()}`);
    const results = (await response.json()) as { id: string; rev?: string; error?: string }[];
    return results.map((result) => {
      if (!result.rev) throw new Error(`_bulk_docs refused ${result.id}: ${result.error}`);
      return result.rev;
    });
  }

  /** Ids of live users, in `_all_docs` order (random: seeded ids are UUIDs). */
  async liveUserIds(database: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    let startkey: string | undefined;
    while (ids.length < count) {
      const query = new URLSearchParams({ include_docs: 'true', limit: '1000', ...(startkey ? { startkey: JSON.stringify(startkey), skip: '1' } : {}) });
      const page = (await this.json('GET', `${this.path(database, '_all_docs')}?${query}`)) as { rows: { id: string; doc?: { java_type?: string; deleted?: number } }[] };
      if (page.rows.length === 0) break;
      for (const row of page.rows) {
        if (row.doc?.java_type === USER_JAVA_TYPE && !row.doc.deleted && ids.length < count) ids.push(row.id);
      }
      startkey = page.rows.at(-1)!.id;
    }
    return ids;
  }

  /**
   * Queries every view of a design document once, so that CouchDB builds its index
   * now; a build that outlasts the HTTP client's timeout goes on, so it is asked again.
   * Returns the names of the views.
   */
  async buildViewIndexes(database: string, designDocumentId: string): Promise<string[]> {
    const design = (await this.json('GET', this.path(database, designDocumentId))) as { views?: Record<string, { reduce?: string }> };
    const names = Object.keys(design.views ?? {});
    for (const name of names) {
      const query = new URLSearchParams({ limit: '0', ...(design.views![name]!.reduce ? { reduce: 'false' } : {}) });
      for (let attempt = 1; ; attempt++) {
        try {
          await this.json('GET', `${this.path(database, designDocumentId, '_view', encodeURIComponent(name))}?${query}`);
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
    }
    return names;
  }

  async deleteDatabase(database: string): Promise<void> {
    const response = await fetch(`${this.origin}${this.path(database)}`, { method: 'DELETE', headers: this.headers });
    if (!response.ok && response.status !== 404) throw new Error(`DELETE ${database} answered ${response.status}`);
  }

  private path(database: string, ...rest: string[]): string {
    return [this.pathPrefix, encodeURIComponent(database), ...rest].join('/');
  }

  private async json(method: string, path: string): Promise<unknown> {
    const response = await fetch(`${this.origin}${path}`, { method, headers: this.headers });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }
}
