import nano, { type ServerScope } from 'nano';
import { Agent, DecoratorHandler, type Dispatcher } from 'undici';

export interface CouchClientOptions {
  url: string;
  /** Bound on connecting, waiting for headers and between body chunks. */
  timeoutMs: number;
  maxConnections: number;
  /**
   * Requests to CouchDB in flight or waiting for a connection, at most: past it a
   * request fails at once rather than joining an unbounded queue behind a slow CouchDB.
   */
  maxPending: number;
  /** Told of every request: method, HTTP status (0 when CouchDB did not answer) and seconds taken. */
  observe?: (method: string, status: number, seconds: number) => void;
}

/** A nano client plus the connection pool behind it, which must be closed on shutdown. */
export interface CouchClient {
  readonly server: ServerScope;
  close(): Promise<void>;
}

/**
 * nano over a keep-alive undici pool: nano alone opens a connection per request
 * and has no timeout, so a slow or vanished CouchDB would hang requests forever.
 */
export function createCouchClient(options: CouchClientOptions): CouchClient {
  const agent = new Agent({
    connections: options.maxConnections,
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  const dispatcher = agent.compose(bounded(options.maxPending), observing(options.observe ?? (() => {})));
  // parseUrl: false keeps a path prefix in COUCHDB_URL (CouchDB behind a proxy path).
  const configuration: nano.Configuration & { parseUrl: boolean } = {
    url: options.url.replace(/\/+$/, ''),
    parseUrl: false,
    // nano's typings describe the Agent class; at run time it wants an instance.
    agentOptions: dispatcher as unknown as nano.Configuration['agentOptions'],
  };
  const server = nano(configuration);
  return { server, close: () => agent.close() };
}

/** Thrown (as a failed request) when `maxPending` requests are already under way. */
export class CouchOverloadedError extends Error {
  override name = 'CouchOverloadedError';
}

/** An undici interceptor refusing requests beyond `maxPending` under way. */
function bounded(maxPending: number): Dispatcher.DispatcherComposeInterceptor {
  let pending = 0;
  return (dispatch) => (options, handler) => {
    if (pending >= maxPending) {
      queueMicrotask(() => handler.onError?.(new CouchOverloadedError(`${maxPending} CouchDB requests already under way`)));
      return true;
    }
    pending++;
    return dispatch(options, new CompletionHandler(handler, () => pending--));
  };
}

/** An undici interceptor timing each request from dispatch to its end (or failure). */
function observing(observe: NonNullable<CouchClientOptions['observe']>): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, new CompletionHandler(handler, (status, seconds) => observe(options.method, status, seconds)));
}

// undici's typings declare DecoratorHandler without the methods it delegates.
interface DelegatingHandler {
  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onComplete(trailers: string[] | null): void;
  onError(error: Error): void;
}
const Delegating = DecoratorHandler as unknown as new (handler: Dispatcher.DispatchHandlers) => DelegatingHandler;

/** Calls `onEnd` once a request has its answer, or has failed. */
class CompletionHandler extends Delegating {
  private readonly started = performance.now();
  private status = 0;

  constructor(
    handler: Dispatcher.DispatchHandlers,
    private readonly onEnd: (status: number, seconds: number) => void,
  ) {
    super(handler);
  }

  override onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    this.status = statusCode;
    return super.onHeaders(statusCode, headers, resume, statusText);
  }

  override onComplete(trailers: string[] | null): void {
    this.done();
    super.onComplete(trailers);
  }

  override onError(error: Error): void {
    this.done();
    super.onError(error);
  }

  private done(): void {
    this.onEnd(this.status, (performance.now() - this.started) / 1000);
  }
}
