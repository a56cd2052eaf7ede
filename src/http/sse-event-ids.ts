import type { ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** One request's event ids: the `Last-Event-ID` the client sent, and the id of the event being sent. */
export interface EventStreamIds {
  readonly lastEventId: string | null;
  /** Set by a subscription's resolver for the event it resolves; written as that event's `id:` line. */
  id: string | null;
}

const encoder = new TextEncoder();

/**
 * GraphQL over Server-Sent Events ("distinct connections", as yoga serves it) with
 * event ids: yoga's own SSE answer writes no `id:` lines and ignores `Last-Event-ID`,
 * so this plugin takes over the answer of subscriptions that accept
 * `text/event-stream`. It hands the request's `Last-Event-ID` to resolvers
 * (`context.sse`), writes the id a resolver set before each `event: next`, and sends a
 * keep-alive comment every `keepAliveMs` on every open stream (one timer for all),
 * with headers that keep proxies from buffering. Otherwise the bytes are yoga's:
 * a `:` first, `event: next` per result, `event: complete` at the end, internal error
 * extensions (`http`, `unexpected`) left out.
 */
export function useSseEventIds({ keepAliveMs }: { keepAliveMs: number }): Plugin {
  const cells = new WeakMap<Request, EventStreamIds>();
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let keepAlive: NodeJS.Timeout | null = null;

  const track = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    open.add(controller);
    keepAlive ??= setInterval(() => {
      for (const stream of open) {
        // A stream that is not reading (desiredSize 0) gets no ping piling up in its queue.
        if (stream.desiredSize !== null && stream.desiredSize > 0) stream.enqueue(encoder.encode(':\n\n'));
      }
    }, keepAliveMs).unref();
  };
  const forget = (controller: ReadableStreamDefaultController<Uint8Array> | undefined) => {
    if (controller) open.delete(controller);
    if (open.size === 0 && keepAlive) {
      clearInterval(keepAlive);
      keepAlive = null;
    }
  };

  const respond = (results: AsyncIterable<ExecutionResult>, cell: EventStreamIds, fetchAPI: typeof globalThis): Response => {
    const iterator = results[Symbol.asyncIterator]();
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new fetchAPI.ReadableStream<Uint8Array>({
      start(streamController) {
        controller = streamController;
        // Some clients see nothing until the first bytes: the stream starts with a comment.
        streamController.enqueue(encoder.encode(':\n\n'));
        track(streamController);
      },
      async pull(streamController) {
        try {
          const { done, value } = await iterator.next();
          if (value != null) {
            const id = cell.id?.replace(/[\r\n]/g, '');
            cell.id = null;
            streamController.enqueue(encoder.encode(`${id ? `id: ${id}\n` : ''}event: next\ndata: ${JSON.stringify(withoutInternals(value))}\n\n`));
          }
          if (done) {
            streamController.enqueue(encoder.encode('event: complete\ndata:\n\n'));
            forget(streamController);
            streamController.close();
          }
        } catch (error) {
          forget(streamController);
          streamController.error(error);
        }
      },
      async cancel() {
        forget(controller);
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
