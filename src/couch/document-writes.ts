import { type CouchAnswer, CouchAnswerError } from './couch-errors.js';

/** What the writes need of the CouchDB client: one request answered with its status. */
export interface CouchRequests {
  request(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<CouchAnswer>;
}

/**
 * Single-document writes that a CouchDB cluster cannot turn into lost updates. With
 * n copies of each document, CouchDB answers a write 201 once its write quorum (a
 * majority of the copies) took it, and 202 when fewer did: two writers racing on one
 * document through different nodes may then both be "accepted", and which revision
 * wins the resulting conflict is CouchDB's deterministic choice, not the quorum's.
 * So a 202 is checked: when the document has a leaf revision of another writer at
 * the same depth, this write lost the race; it is withdrawn (its leaf deleted, the
 * other revision stays the document) and reported as a conflict, as a 409 would be.
 * When there is none (fewer nodes than the quorum answer), the write stands and
 * CouchDB copies it on. A single node always answers 201 or 409.
 */
export class DocumentWrites {
  constructor(private readonly client: CouchRequests) {}

  /** Writes a document (at `_rev` when it has one): its new revision, or null when refused (409) or outraced. */
  async put(db: string, doc: { _id: string; _rev?: string }): Promise<string | null> {
    const path = documentPath(db, doc._id);
    const answer = await this.client.request('PUT', path, doc);
    if (answer.status === 409) return null;
    const { rev } = written(answer);
    if (answer.status === 202 && (await this.outraced(path, rev))) {
      await this.client.request('DELETE', `${path}?rev=${encodeURIComponent(rev)}`);
      return null;
    }
    return rev;
  }

  /**
   * Deletes one revision; false when it was gone or had changed. A deletion fewer
   * copies took (202) counts as done: should a concurrent update win, the document
   * stays, as if that update had come after the deletion.
   */
  async delete(db: string, id: string, rev: string): Promise<boolean> {
    const answer = await this.client.request('DELETE', `${documentPath(db, id)}?rev=${encodeURIComponent(rev)}`);
    if (answer.status === 409 || answer.status === 404) return false;
    written(answer);
    return true;
  }

  /** Whether another writer's revision is a leaf at least as deep as `rev` (older conflicts do not count). */
  private async outraced(path: string, rev: string): Promise<boolean> {
    const answer = await this.client.request('GET', `${path}?open_revs=all`);
    if (answer.status !== 200) throw new CouchAnswerError(answer);
    const leaves = (answer.body as { ok?: { _rev: string } }[]).flatMap((leaf) => (leaf.ok ? [leaf.ok._rev] : []));
    return leaves.some((leaf) => leaf !== rev && generation(leaf) >= generation(rev));
  }
}

function documentPath(db: string, id: string): string {
  return `${encodeURIComponent(db)}/${encodeURIComponent(id)}`;
}

function written(answer: CouchAnswer): { rev: string } {
  if (answer.status !== 201 && answer.status !== 202 && answer.status !== 200) throw new CouchAnswerError(answer);
  return answer.body as { rev: string };
}

function generation(rev: string): number {
  return Number.parseInt(rev, 10);
}
