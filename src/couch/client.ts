import nano, { type ServerScope } from 'nano';
import { BalancedPool, DecoratorHandler, interceptors, Pool, type Dispatcher } from 'undici';
import type { CouchAnswer } from './couch-errors.js';

export type { CouchAnswer } from './couch-errors.js';

export interface CouchClientOptions {
  /** One CouchDB server, or several nodes of one cluster (the same credentials and path on each). */
  urls: string[];
  /** Bound on connecting, waiting for headers and between body chunks. */
  timeoutMs: number;
  /** Keep-alive connections per node. */
  maxConnections: number;
  /**
   * Requests to CouchDB in flight or waiting for a connection, at most: past it a
   * request fails at once rather than joining an unbounded queue behind a slow CouchDB.
   */
  maxPending: number;
  /** Told of every request a node got: the node, method, HTTP status (0 when it did not answer) and seconds taken. */
  observe?: (request: CouchRequestObservation) => void;
}

export interface CouchRequestObservation {
  /** The node's origin, without credentials. */
  node: string;
  method: string;
  status: number;
  seconds: number;
}

/** Whether one node answers. */
export interface CouchNodeStatus {
  /** The node's origin, without credentials. */
  url: string;
  up: boolean;
}

/** A nano client plus the connection pools behind it, which must be closed on shutdown. */
export interface CouchClient {
  readonly server: ServerScope;
  /**
   * One request through the same pools, answered with CouchDB's status, which nano
   * hides: a cluster answers a write 201 when its write quorum took it, 202 when fewer
   * copies did. `path` is relative to the server, e.g. `db/doc?rev=1-x`.
   */
  request(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<CouchAnswer>;
  /** Asks every node whether it answers (`GET /`), at once. */
  nodes(): Promise<CouchNodeStatus[]>;
  close(): Promise<void>;
}

/**
 * nano over keep-alive undici pools, one per node: nano alone opens a connection per
 * request and has no timeout, so a slow or vanished CouchDB would hang requests forever.
 *
 * Requests are spread over the nodes by undici's BalancedPool (weighted round robin):
 * a node refusing connections loses weight at each refusal, so it gets almost no
 * requests until it accepts connections again, when it regains weight by itself. A
 * request refused at connection never reached CouchDB: it goes to another node.
 * nano is given the first node's URL; the pool alone decides which node answers.
 */
export function createCouchClient(options: CouchClientOptions): CouchClient {
  const first = new URL(options.urls[0]!);
  const observe = options.observe ?? (() => {});
  const nodePools = new Map<string, ObservedPool>();
  const pool = new BalancedPool(
    options.urls.map((url) => new URL(url).origin),
    {
      // BalancedPool passes the origin as a string, despite undici's typings.
      factory: (origin, poolOptions) => {
        const node = new ObservedPool(String(origin), poolOptions as Pool.Options, observe);
        nodePools.set(node.origin, node);
        return node;
      },
      connections: options.maxConnections,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
    },
  );
  const retries = options.urls.length > 1 ? [retryRefusedOnAnotherNode(options.urls.length)] : [];
  const dispatcher = pool.compose(...retries, bounded(options.maxPending));
  // parseUrl: false keeps a path prefix in COUCHDB_URL (CouchDB behind a proxy path).
  const configuration: nano.Configuration & { parseUrl: boolean } = {
    url: options.urls[0]!.replace(/\/+$/, ''),
    parseUrl: false,
    // nano's typings describe the Agent class; at run time it wants an instance.
    agentOptions: dispatcher as unknown as nano.Configuration['agentOptions'],
  };
  const server = nano(configuration);
  const root = `${first.pathname.replace(/\/+$/, '')}/`;
  const authorization = first.username
    ? { authorization: `Basic ${Buffer.from(`${decodeURIComponent(first.username)}:${decodeURIComponent(first.password)}`).toString('base64')}` }
    : {};
  return {
    server,
    async request(method, path, body) {
      const answer = await dispatcher.request({
        origin: first.origin,
        method,
        path: `${root}${path}`,
        headers: { ...authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.body.text();
      return { status: answer.statusCode, body: text ? JSON.parse(text) : null };
    },
    nodes: () =>
      Promise.all(
        [...nodePools].map(async ([origin, node]) => {
          try {
            const answer = await node.request({ origin, method: 'GET', path: root, headers: authorization });
            await answer.body.dump();
            return { url: origin, up: answer.statusCode === 200 };
          } catch {
            return { url: origin, up: false };
          }
        }),
      ),
    close: () => pool.close(),
  };
}

/** One node's pool: it reports each request it serves. */
class ObservedPool extends Pool {
  readonly origin: string;

  constructor(
    origin: string,
    options: Pool.Options,
    private readonly observe: NonNullable<CouchClientOptions['observe']>,
  ) {
    super(origin, options);
    this.origin = new URL(origin).origin;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    return super.dispatch(options, new CompletionHandler(handler, (status, seconds) => this.observe({ node: this.origin, method: options.method, status, seconds })));
  }
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

/** Failures that happen before a request is sent: the node never saw it, whatever its method. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * undici's retry interceptor, narrowed to requests that never reached a node: they
 * are dispatched again at once, and the balanced pool picks the next node. Anything
 * that may have reached CouchDB (a reset mid-request, a timeout) is not retried: a
 * write might have happened.
 */
function retryRefusedOnAnotherNode(nodes: number): Dispatcher.DispatcherComposeInterceptor {
  // The pool lowers a failing node's weight rather than skipping it at once, so a retry
  // may meet the same dead node again: a refused connection costs nothing, so each
  // request may try twice per node.
  const attempts = 2 * nodes;
  return interceptors.retry({
    maxRetries: attempts - 1,
    minTimeout: 0,
    statusCodes: [],
    retry(error, { state }, callback) {
      const code = (error as NodeJS.ErrnoException).code;
      callback(code !== undefined && NOT_CONNECTED.has(code) && state.counter < attempts ? null : error);
    },
  });
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
