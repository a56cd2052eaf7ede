import nano, { type ServerScope } from 'nano';
import { Agent } from 'undici';

export interface CouchClientOptions {
  url: string;
  /** Bound on connecting, waiting for headers and between body chunks. */
  timeoutMs: number;
  maxConnections: number;
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
  // parseUrl: false keeps a path prefix in COUCHDB_URL (CouchDB behind a proxy path).
  const configuration: nano.Configuration & { parseUrl: boolean } = {
    url: options.url.replace(/\/+$/, ''),
    parseUrl: false,
    // nano's typings describe the Agent class; at run time it wants an instance.
    agentOptions: agent as unknown as nano.Configuration['agentOptions'],
  };
  const server = nano(configuration);
  return { server, close: () => agent.close() };
}
