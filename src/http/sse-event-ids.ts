import type { ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { Readable } from 'node:stream';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** One request's event ids: the `Last-Event-ID` the client sent, and the id of the event being sent. */
export interface EventStreamIds {
  readonly lastEventId: string | null;
  /** Set by a subscription's resolver for the event it resolves; written as that event's `id:` line. */
  id: string | null;
  /**
   * Set by a subscription: the id to resume from when every event handed out has been
   * sent (null while one is on its way). Sent alone (an `id:` line without data, which
   * EventSource records and other clients ignore) when the stream starts and instead of
   * keep-alive comments when it moved, so an idle client's resume point stays current.
   */
  position?: () => string | null;
}

/** How many slices the keep-alive period is cut into: each tick visits one slice of the open streams. */
const KEEP_ALIVE_SLICES = 100;

const encoder = new TextEncoder();
const PING = encoder.encode(':\n\n');
const COMPLETE = encoder.encode('event: complete\ndata:\n\n');

/**
 * The bytes of the last event each result was sent as: a result shared by the
 * subscribers of one event (see `useSharedSubscriptionResults`) is serialized once.
 */
const encoded = new WeakMap<object, { id: string | undefined; bytes: Uint8Array }>();

/** The last id sent alone, encoded: the streams of one database share their position, and keep-alives go out by the hundred. */
let lastIdLine: { id: string; bytes: Uint8Array } | null = null;

function idLine(id: string): Uint8Array {
  if (lastIdLine?.id !== id) lastIdLine = { id, bytes: encoder.encode(`id: ${id}\n\n`) };
  return lastIdLine.bytes;
}

function encodeEvent(value: ExecutionResult, id: string | undefined): Uint8Array {
  const last = encoded.get(value);
  if (last && last.id === id) return last.bytes;
  const bytes = encoder.encode(`${id ? `id: ${id}\n` : ''}event: next\ndata: ${JSON.stringify(withoutInternals(value))}\n\n`);
  encoded.set(value, { id, bytes });
  return bytes;
}

/**
 * GraphQL over Server-Sent Events ("distinct connections", as yoga serves it) with
 * event ids: yoga's own SSE answer writes no `id:` lines and ignores `Last-Event-ID`,
 * so this plugin takes over the answer of subscriptions that accept
 * `text/event-stream`. It hands the request's `Last-Event-ID` to resolvers
 * (`context.sse`), writes the id a resolver set before each `event: next`, and sends a
 * keep-alive on every stream that sent nothing for `keepAliveMs` (one timer for all,
 * visiting a slice of the streams per tick, so that thousands of streams are not pinged
 * in one go, which would stall every other write for as long), with
 * headers that keep proxies from buffering. Otherwise the bytes are yoga's: a ping
 * first, `event: next` per result, `event: complete` at the end, internal error
 * extensions (`http`, `unexpected`) left out.
 */
export function useSseEventIds({
  keepAliveMs,
  formatResult = (result) => result,
}: {
  keepAliveMs: number;
  /** Applied to each result before it is sent (the contract's error codes). */
  formatResult?: (result: ExecutionResult) => ExecutionResult;
}): Plugin {
  const cells = new WeakMap<Request, EventStreamIds>();
  const open = new Set<EventStreamBody>();
  let keepAlive: NodeJS.Timeout | null = null;
  let visiting: Iterator<EventStreamBody> = open.values();
  const tickMs = Math.max(10, keepAliveMs / KEEP_ALIVE_SLICES);

  /** A keep-alive: the stream's position if it moved, else a comment. */
  const ping = (stream: EventStreamBody) => {
    stream.sentAt = performance.now();
    const id = stream.cell.position?.()?.replace(/[\r\n]/g, '') ?? null;
    if (id && id !== stream.sentId) {
      stream.sentId = id;
      stream.send(idLine(id));
    } else {
      stream.send(PING);
    }
  };
  const track = (stream: EventStreamBody) => {
    open.add(stream);
    keepAlive ??= setInterval(() => {
      // Every stream is visited twice per period and pinged when half of it passed silent: no gap exceeds the period.
      const due = performance.now() - keepAliveMs / 2;
      for (let visited = Math.ceil((2 * open.size * tickMs) / keepAliveMs); visited > 0; visited--) {
        let next = visiting.next();
        if (next.done) {
          visiting = open.values();
          next = visiting.next();
        }
        if (next.done) return;
        const each = next.value;
        // A stream whose client is not reading (its buffer full) gets no ping piling up in it.
        if (each.sentAt <= due && each.readableLength < each.readableHighWaterMark) ping(each);
      }
    }, tickMs).unref();
  };
  const forget = (stream: EventStreamBody) => {
    open.delete(stream);
    if (open.size === 0 && keepAlive) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  };

  const respond = (results: AsyncIterable<ExecutionResult>, cell: EventStreamIds, fetchAPI: typeof globalThis): Response => {
    const stream = new EventStreamBody(results[Symbol.asyncIterator](), cell, formatResult, forget);
    // Some clients see nothing until the first bytes: the stream starts with them.
    ping(stream);
    track(stream);
    // whatwg-node's Response takes a Node stream as it is (and pipes it to the socket); a web one for other fetch implementations.
    const body = fetchAPI.ReadableStream === globalThis.ReadableStream ? (Readable.toWeb(stream) as ReadableStream<Uint8Array>) : stream;
    return new fetchAPI.Response(body as BodyInit, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream',
        Connection: 'keep-alive',
        'Cache-Control': 'no-cache, no-transform',
        'Content-Encoding': 'none',
        // nginx and others buffer responses unless told not to.
        'X-Accel-Buffering': 'no',
      },
    });
  };

  return {
    onContextBuilding({ context, extendContext }) {
      const { request } = context;
      if (!acceptsEventStream(request)) return;
      const cell: EventStreamIds = { lastEventId: request.headers.get('last-event-id'), id: null };
      cells.set(request, cell);
      extendContext({ sse: cell } as Record<string, unknown>);
    },
    onResultProcess({ request, result, setResultProcessor }) {
      const cell = cells.get(request);
      if (cell && isAsyncIterable(result)) {
        setResultProcessor((results, fetchAPI) => respond(results as AsyncIterable<ExecutionResult>, cell, fetchAPI as typeof globalThis), 'text/event-stream');
      }
    },
  };
}

/**
 * One subscription's answer: a Node stream that pulls the next result from the
 * subscription when its reader wants more (backpressure: a client that stops reading
 * stops the pulls, and its events queue up in the subscription until it overflows).
 * A Node stream of its own rather than a web ReadableStream: whatwg-node wraps one of
 * those in a Node stream anyway, with a controller object per pull, and every open
 * subscription holds its answer.
 */
class EventStreamBody extends Readable {
  /** The last id sent, and when anything was last sent (for the keep-alives). */
  sentId: string | null = null;
  sentAt = 0;
  private pulling = false;

  constructor(
    private readonly results: AsyncIterator<ExecutionResult>,
    readonly cell: EventStreamIds,
    private readonly formatResult: (result: ExecutionResult) => ExecutionResult,
    private readonly onEnd: (stream: EventStreamBody) => void,
  ) {
    super();
  }

  /** Bytes for the client, unless the stream is over. */
  send(bytes: Uint8Array): void {
    if (!this.destroyed && !this.readableEnded) this.push(bytes);
  }

  override _read(): void {
    if (this.pulling) return;
    this.pulling = true;
    void this.pull();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.onEnd(this);
    Promise.resolve(this.results.return?.()).then(
      () => callback(error),
      (failure: unknown) => callback(failure as Error),
    );
  }

  private async pull(): Promise<void> {
    try {
      const { done, value } = await this.results.next();
      this.pulling = false;
      if (this.destroyed) return;
      if (value != null) {
        const id = this.cell.id?.replace(/[\r\n]/g, '');
        this.cell.id = null;
        if (id) this.sentId = id;
        this.sentAt = performance.now();
        this.push(encodeEvent(this.formatResult(value), id));
      }
      if (done) {
        this.push(COMPLETE);
        this.onEnd(this);
        this.push(null);
      } else if (value == null) {
        this._read();
      }
    } catch (error) {
      this.pulling = false;
      this.onEnd(this);
      this.destroy(error as Error);
    }
  }
}

function acceptsEventStream(request: Request): boolean {
  return request.headers.get('accept')?.includes('text/event-stream') ?? false;
}

/** The result as a client may see it: yoga's internal error extensions (`http`, `unexpected`) left out. */
function withoutInternals(result: ExecutionResult): ExecutionResult | FormattedExecutionResult {
  if (!result.errors?.length && !result.extensions?.http) return result;
  const { http: _http, ...extensions } = result.extensions ?? {};
  return {
    ...result,
    errors: result.errors?.map((error) => {
      const { http: _status, unexpected: _unexpected, ...rest } = error.extensions ?? {};
      const formatted: GraphQLFormattedError = typeof error.toJSON === 'function' ? error.toJSON() : error;
      return { ...formatted, extensions: Object.keys(rest).length ? rest : undefined };
    }),
    extensions: Object.keys(extensions).length ? extensions : undefined,
  };
}
