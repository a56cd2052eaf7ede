import type { GraphQLResponse } from './test-gateway.js';

/** One Server-Sent Event as it came over the wire. */
export interface SseMessage {
  /** `next` or `complete`. */
  event: string;
  /** The `id:` line, if the event had one. */
  id: string | null;
  /** The parsed `data:` of a `next` event. */
  result: GraphQLResponse | null;
}

/** A subscription held open over HTTP, its events read as they arrive. */
export interface SseSubscription {
  status: number;
  headers: Headers;
  /** The next event; fails when none comes within the guard (a hang, not a timing assertion). */
  next(guardMs?: number): Promise<SseMessage>;
  /** Events received and not yet taken with `next`. */
  pending(): SseMessage[];
  /** Comment lines (keep-alives) seen so far. */
  comments(): number;
  /** The last `id:` line seen, with an event or alone, as EventSource keeps it. */
  lastEventId(): string | null;
  /** Resolves when the server ends the response. */
  readonly ended: Promise<void>;
  close(): void;
}

/**
 * Subscribes with a plain `fetch` (POST, JSON body, `Accept: text/event-stream`) and
 * parses the SSE bytes itself, so tests see exactly what the server sends: ids,
 * keep-alive comments, the `complete` event.
 */
export async function subscribe(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  /** GET puts the operation in the URL; `body` replaces the POSTed `{ query, variables }` (e.g. a persisted operation's hash). */
  init: { method?: 'GET' | 'POST'; body?: Record<string, unknown> } = {},
): Promise<SseSubscription> {
  const abort = new AbortController();
  const url = new URL(`${baseUrl}/graphql`);
  const method = init.method ?? 'POST';
  if (method === 'GET') {
    url.searchParams.set('query', query);
    url.searchParams.set('variables', JSON.stringify(variables));
  }
  const response = await fetch(url, {
    method,
    headers: { accept: 'text/event-stream', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    body: method === 'POST' ? JSON.stringify(init.body ?? { query, variables }) : undefined,
    signal: abort.signal,
  });
  const received: SseMessage[] = [];
  const waiters: ((message: SseMessage | null) => void)[] = [];
  let comments = 0;
  let lastEventId: string | null = null;
  let finished = false;
  const deliver = (message: SseMessage | null) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else if (message) received.push(message);
  };
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let split = buffer.indexOf('\n\n'); split >= 0; split = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const fields = { event: '', id: null as string | null, data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments++;
            else if (line.startsWith('event:')) fields.event = line.slice(6).trim();
            else if (line.startsWith('id:')) fields.id = lastEventId = line.slice(3).trim();
            else if (line.startsWith('data:')) fields.data += line.slice(5).trim();
          }
          if (fields.event) deliver({ event: fields.event, id: fields.id, result: fields.data ? JSON.parse(fields.data) : null });
        }
      }
    } catch {
      // Aborted by close(), or cut by the server.
    } finally {
      finished = true;
      while (waiters.length) deliver(null);
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    next: (guardMs = 10_000) =>
      new Promise<SseMessage>((resolve, reject) => {
        const queued = received.shift();
        if (queued) return resolve(queued);
        if (finished) return reject(new Error('the stream ended'));
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(onMessage), 1);
          reject(new Error(`no event within ${guardMs} ms`));
        }, guardMs);
        const onMessage = (message: SseMessage | null) => {
          clearTimeout(timer);
          if (message) resolve(message);
          else reject(new Error('the stream ended'));
        };
        waiters.push(onMessage);
      }),
    pending: () => [...received],
    comments: () => comments,
    lastEventId: () => lastEventId,
    ended,
    close: () => abort.abort(),
  };
}
