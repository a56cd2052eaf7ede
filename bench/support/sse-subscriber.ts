import { request, type ClientRequest } from 'node:http';

/** What one subscription's stream brings: each `next` event's result, when it arrived. */
export type EventHandler = (result: { data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] }, receivedAt: number) => void;

/** Milliseconds on one clock for the whole run: `performance` time, as an epoch. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * One GraphQL subscription over SSE held open by the load process, on a connection of
 * its own (plain `node:http`: thousands of them cost little). It keeps the last `id:`
 * the gateway sent, with an event or alone, as EventSource does, and sends it as
 * `Last-Event-ID` when it connects again.
 */
export class SseSubscriber {
  lastEventId: string | null = null;
  private current: ClientRequest | null = null;

  constructor(
    private readonly url: string,
    private readonly authorization: string,
    private readonly body: string,
    private readonly onEvent: EventHandler,
    /** A stream that ended or failed while it was meant to stay open. */
    private readonly onLost: (reason: string) => void,
  ) {}

  /** Resolves once the gateway answered 200 (the subscription is registered). */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream', authorization: this.authorization };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      const current = request(this.url, { method: 'POST', agent: false, headers });
      this.current = current;
      let answered = false;
      current.on('response', (response) => {
        answered = true;
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`subscription answered ${response.statusCode}`));
          return;
        }
        resolve();
        response.setEncoding('utf8');
        let buffer = '';
        response.on('data', (chunk: string) => {
          const receivedAt = now();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            this.parse(buffer.slice(0, end), receivedAt);
            buffer = buffer.slice(end + 2);
          }
        });
        response.on('end', () => {
          if (this.current === current) this.onLost('the gateway ended the stream');
        });
      });
      current.on('error', (error) => {
        if (!answered) reject(error);
        else if (this.current === current) this.onLost(error.message);
      });
      current.end(this.body);
    });
  }

  /** Drops the connection, as a network or a client would. */
  disconnect(): void {
    const current = this.current;
    this.current = null;
    current?.destroy();
  }

  private parse(block: string, receivedAt: number): void {
    let event = '';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) this.lastEventId = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (event === 'next') this.onEvent(JSON.parse(data), receivedAt);
  }
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
export async function inBatches<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
