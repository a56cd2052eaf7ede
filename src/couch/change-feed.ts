import { backOff } from 'exponential-backoff';
import { type Agent, request } from 'undici';

/** CouchDB's update sequences are opaque (a string on CouchDB 2+, a number on PouchDB): never compared, only echoed. */
export type Seq = string | number;

/** One row of `_changes` with `include_docs`: the winning revision of a document, or its deletion. */
export interface ChangeRow {
  id: string;
  /** The winning revision now; compare with a cached `_rev` for equality only (conflicts can lower the generation). */
  rev: string;
  deleted: boolean;
  /** The document at `rev` (a deletion stub when deleted). */
  doc: Record<string, unknown> | null;
}

/** `catching-up`: replaying what changed while the feed was away; `live`: following; `down`: cut, retrying. */
export type FeedState = 'catching-up' | 'live' | 'down';

export interface FeedStatus {
  db: string;
  state: FeedState;
  /** True when live and a byte arrived within the lag bound: the changes it carries are at most that old. */
  live: boolean;
  /** Milliseconds since the last byte (a change or a heartbeat). */
  lagMs: number;
  /** The node the feed reads from, without credentials. */
  node: string;
  reconnects: number;
}

export interface ChangeFeedOptions {
  /** Base URLs of the CouchDB nodes (credentials included); a reconnect moves to the next one. */
  nodes: readonly string[];
  db: string;
  /** CouchDB sends a newline this often while idle; a byte is proof the connection is alive. */
  heartbeatMs: number;
  /** Past this without a byte, the feed is not live (its readers go to CouchDB) and the connection is replaced. */
  maxLagMs: number;
  /** Rows in the order CouchDB sent them, replays included: handling must be idempotent. */
  onChanges(rows: ChangeRow[]): void;
  /** Told of each change of state (for logs and metrics). */
  onState?(status: FeedStatus, error?: unknown): void;
  /** The pool the feed's requests go through (one connection per feed while it streams). */
  dispatcher: Agent;
  now?: () => number;
}

/** Rows a catch-up request asks for at once. */
const CATCH_UP_BATCH = 500;

/**
 * Follows one database's `_changes` (continuous, heartbeat, include_docs) for as long
 * as it runs, so that a cache can stay coherent with CouchDB:
 * - it starts from the database's `update_seq`, read before anything else, so that no
 *   write made after `start()` resolves can be missed;
 * - after any cut it catches up from the last sequence it saw (a normal feed, in
 *   batches) before it says `live` again, then follows continuously from there, on the
 *   next node of the cluster, backing off while nothing answers;
 * - a silent connection (no heartbeat within `maxLagMs`) is dropped and replaced.
 */
export class ChangeFeed {
  private since: Seq | null = null;
  private state: FeedState = 'down';
  private lastByteAt = 0;
  private nodeIndex = 0;
  private reconnects = 0;
  private stopped = false;
  private current: AbortController | null = null;
  private running: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ChangeFeedOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Reads the starting sequence, then follows in the background; rejects when CouchDB cannot be asked (nothing runs then). */
  async start(): Promise<void> {
    this.since = await this.updateSeq(this.node());
    this.running = this.follow();
  }

  /** True when reads may trust what the feed delivered: live, and heard from within `maxLagMs`. */
  isLive(): boolean {
    return this.state === 'live' && this.now() - this.lastByteAt <= this.options.maxLagMs;
  }

  status(): FeedStatus {
    return {
      db: this.options.db,
      state: this.state,
      live: this.isLive(),
      lagMs: this.lastByteAt === 0 ? -1 : this.now() - this.lastByteAt,
      node: withoutCredentials(this.node()),
      reconnects: this.reconnects,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.abort();
    await this.running;
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      const ended = await backOff(() => this.session(), {
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        startingDelay: 100,
        maxDelay: 5_000,
        jitter: 'full',
        retry: (error) => {
          if (this.stopped) return false;
          this.moveOn(error);
          return true;
        },
      }).catch(() => undefined);
      // A feed that had been live ended (CouchDB closed it, or the node went away): reconnect at once.
      if (!this.stopped && ended) this.moveOn(ended.error);
    }
  }

  /** Down, and the next attempt goes to the next node. */
  private moveOn(error: unknown): void {
    this.enter('down', error);
    this.reconnects++;
    this.nodeIndex++;
  }

  /**
   * One connection: catch up, then follow until it ends. Throws when it never got
   * live (the caller backs off); resolves with why it ended once it had been live.
   */
  private async session(): Promise<{ error: unknown }> {
    const abort = new AbortController();
    this.current = abort;
    if (this.stopped) return { error: null };
    const node = this.node();
    this.enter('catching-up');
    await this.catchUp(node, abort.signal);
    const silenceMs = Math.max(this.options.maxLagMs, 3 * this.options.heartbeatMs);
    const watchdog = setInterval(() => {
      if (this.now() - this.lastByteAt > silenceMs) abort.abort(new Error(`no heartbeat from CouchDB for ${silenceMs} ms`));
    }, this.options.heartbeatMs);
    try {
      const query = `feed=continuous&include_docs=true&heartbeat=${this.options.heartbeatMs}&since=${encodeURIComponent(String(this.since))}`;
      const response = await this.get(node, `_changes?${query}`, abort.signal);
      this.lastByteAt = this.now();
      this.enter('live');
      try {
        await this.read(response.body);
        return { error: null };
      } catch (error) {
        return { error };
      }
    } finally {
      clearInterval(watchdog);
    }
  }

  /** Hands the stream's rows over chunk by chunk, remembering the last sequence seen. */
  private async read(body: AsyncIterable<Buffer>): Promise<void> {
    let pending = '';
    for await (const chunk of body) {
      this.lastByteAt = this.now();
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const rows: ChangeRow[] = [];
      for (const line of lines) {
        if (line.trim() === '') continue;
        const parsed = JSON.parse(line) as RawRow | { last_seq: Seq };
        if ('last_seq' in parsed) {
          this.since = parsed.last_seq;
          continue;
        }
        rows.push(toChangeRow(parsed));
        if (parsed.seq !== null && parsed.seq !== undefined) this.since = parsed.seq;
      }
      if (rows.length) this.options.onChanges(rows);
    }
  }

  /** Replays the changes since the last sequence, in batches, until the feed is at the present. */
  private async catchUp(node: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const response = await this.get(node, `_changes?include_docs=true&limit=${CATCH_UP_BATCH}&since=${encodeURIComponent(String(this.since))}`, signal);
      const page = (await response.body.json()) as { results: RawRow[]; last_seq: Seq };
      this.lastByteAt = this.now();
      if (page.results.length) this.options.onChanges(page.results.map(toChangeRow));
      this.since = page.last_seq;
      if (page.results.length < CATCH_UP_BATCH) return;
    }
  }

  private async updateSeq(node: string): Promise<Seq> {
    const response = await this.get(node, '', undefined);
    return ((await response.body.json()) as { update_seq: Seq }).update_seq;
  }

  private async get(node: string, path: string, signal: AbortSignal | undefined) {
    const { origin, authorization, base } = parseNode(node);
    const response = await request(`${origin}${base}/${encodeURIComponent(this.options.db)}${path ? `/${path}` : ''}`, {
      dispatcher: this.options.dispatcher,
      headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
      signal,
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw new Error(`GET ${withoutCredentials(node)}/${this.options.db}/${path.split('?')[0]} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    }
    return response;
  }

  private node(): string {
    return this.options.nodes[this.nodeIndex % this.options.nodes.length]!;
  }

  private enter(state: FeedState, error?: unknown): void {
    if (state === this.state && error === undefined) return;
    this.state = state;
    this.options.onState?.(this.status(), error);
  }
}

interface RawRow {
  seq?: Seq | null;
  id: string;
  changes: { rev: string }[];
  deleted?: boolean;
  doc?: Record<string, unknown> | null;
}

function toChangeRow(raw: RawRow): ChangeRow {
  return { id: raw.id, rev: raw.changes[0]!.rev, deleted: raw.deleted === true, doc: raw.doc ?? null };
}

function parseNode(node: string): { origin: string; base: string; authorization: string | null } {
  const url = new URL(node);
  const authorization = url.username ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
  return { origin: url.origin, base: url.pathname.replace(/\/+$/, ''), authorization };
}

/** A node's URL for logs and metrics. */
export function withoutCredentials(node: string): string {
  const url = new URL(node);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}
