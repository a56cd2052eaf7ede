import type { ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
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

/** An open stream: its controller, its request's ids, the last id it sent and when it last sent anything. */
interface OpenStream {
  controller: ReadableStreamDefaultController<Uint8Array>;
  cell: EventStreamIds;
  sentId: string | null;
  sentAt: number;
}

/** How many slices the keep-alive period is cut into: each tick visits one slice of the open streams. */
const KEEP_ALIVE_SLICES = 100;

const encoder = new TextEncoder();

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
export function useSseEventIds({ keepAliveMs }: { keepAliveMs: number }): Plugin {
  const cells = new WeakMap<Request, EventStreamIds>();
  const open = new Set<OpenStream>();
  let keepAlive: NodeJS.Timeout | null = null;
  let visiting: Iterator<OpenStream> = open.values();
  const tickMs = Math.max(10, keepAliveMs / KEEP_ALIVE_SLICES);

  /** A keep-alive: the stream's position if it moved, else a comment. */
  const ping = (stream: OpenStream) => {
    stream.sentAt = performance.now();
    const id = stream.cell.position?.()?.replace(/[\r\n]/g, '') ?? null;
    if (id && id !== stream.sentId) {
      stream.sentId = id;
      stream.controller.enqueue(encoder.encode(`id: ${id}\n\n`));
    } else {
      stream.controller.enqueue(encoder.encode(':\n\n'));
    }
  };
  const track = (stream: OpenStream) => {
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
        // A stream that is not reading (desiredSize 0) gets no ping piling up in its queue.
        if (each.sentAt <= due && each.controller.desiredSize !== null && each.controller.desiredSize > 0) ping(each);
      }
    }, tickMs).unref();
  };
  const forget = (stream: OpenStream | undefined) => {
    if (stream) open.delete(stream);
    if (open.size === 0 && keepAlive) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  };

  const respond = (results: AsyncIterable<ExecutionResult>, cell: EventStreamIds, fetchAPI: typeof globalThis): Response => {
    const iterator = results[Symbol.asyncIterator]();
    let stream: OpenStream | undefined;
    const body = new fetchAPI.ReadableStream<Uint8Array>({
      start(controller) {
        stream = { controller, cell, sentId: null, sentAt: 0 };
        // Some clients see nothing until the first bytes: the stream starts with them.
        ping(stream);
        track(stream);
      },
      async pull(controller) {
        try {
          const { done, value } = await iterator.next();
          if (value != null) {
            const id = cell.id?.replace(/[\r\n]/g, '');
            cell.id = null;
            if (id) stream!.sentId = id;
            stream!.sentAt = performance.now();
            controller.enqueue(encoder.encode(`${id ? `id: ${id}\n` : ''}event: next\ndata: ${JSON.stringify(withoutInternals(value))}\n\n`));
          }
          if (done) {
            controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
            forget(stream);
            controller.close();
          }
        } catch (error) {
          forget(stream);
          controller.error(error);
        }
      },
      async cancel() {
        forget(stream);
        await iterator.return?.();
      },
    });
    return new fetchAPI.Response(body, {
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
