import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/icure-base/_all_docs?include_docs=true`. */
  url: string;
  /** The request body, complete once CouchDB has answered. */
  body: string;
}

/**
 * An HTTP proxy in front of CouchDB that records every request CouchDB receives,
 * and can be switched off or slowed down to play a failing CouchDB.
 */
export interface CountingProxy {
  /** The proxy's URL, with the credentials of the target URL. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The most requests that were ever in flight at once since the last reset. */
  maxInFlight(): number;
  reset(): void;
  /** Answer nothing: close every connection as it comes (CouchDB gone). */
  cut(on: boolean): void;
  /** Hold every request this long before forwarding it (a slow CouchDB). */
  delay(ms: number): void;
  /** Accept requests and never answer them (a CouchDB gone silent); they stay open until the client gives up. */
  hang(on: boolean): void;
  /** Drop the requests this predicate picks (a CouchDB failing them, or a crash); null stops. */
  failWhen(predicate: ((request: RecordedRequest) => boolean) | null): void;
  /** Answer the requests this predicate picks with this status and JSON body instead of CouchDB; null stops. */
  answerWhen(answer: { when: (request: RecordedRequest) => boolean; status: number; body: unknown } | null): void;
  close(): Promise<void>;
}

/** `port` 0: any free port. */
export async function startCountingProxy(targetUrl: string, port = 0): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const requests: RecordedRequest[] = [];
  let cut = false;
  let delayMs = 0;
  let hanging = false;
  let failing: ((request: RecordedRequest) => boolean) | null = null;
  let answering: { when: (request: RecordedRequest) => boolean; status: number; body: unknown } | null = null;
  let inFlight = 0;
  let maxInFlight = 0;

  const forward = (req: IncomingMessage, body: PassThrough, res: ServerResponse) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: `${target.pathname.replace(/\/+$/, '')}${req.url}`,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    body.pipe(upstream);
  };

  const server = createServer((req, res) => {
    if (cut) {
      req.socket.destroy();
      return;
    }
    const recorded = { method: req.method ?? 'GET', url: req.url ?? '/', body: '' };
    // Kept aside (and recorded) until forwarded, which a delay may postpone.
    const body = new PassThrough();
    req.on('data', (chunk: Buffer) => (recorded.body += chunk.toString()));
    req.pipe(body);
    requests.push(recorded);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    if (failing?.(recorded)) {
      req.socket.destroy();
      return;
    }
    if (hanging) return;
    if (answering?.when(recorded)) {
      req.resume();
      res.writeHead(answering.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answering.body));
      return;
    }
    if (delayMs > 0) setTimeout(() => forward(req, body, res), delayMs);
    else forward(req, body, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const proxyUrl = new URL(targetUrl);
  proxyUrl.hostname = '127.0.0.1';
  proxyUrl.port = String((server.address() as AddressInfo).port);
  proxyUrl.pathname = '/';

  return {
    url: proxyUrl.toString().replace(/\/+$/, ''),
    requests,
    maxInFlight: () => maxInFlight,
    reset: () => {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    cut: (on) => {
      cut = on;
      if (on) server.closeAllConnections();
    },
    delay: (ms) => {
      delayMs = ms;
    },
    hang: (on) => {
      hanging = on;
    },
    failWhen: (predicate) => {
      failing = predicate;
    },
    answerWhen: (answer) => {
      answering = answer;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
