import type { IncomingMessage, ServerResponse } from 'node:http';

/** Why the gateway cannot serve yet (e.g. `building indexes`), or null when it can. */
export type Readiness = () => Promise<string | null>;

/**
 * Answers the probes ahead of GraphQL: `GET /health` 200 `{"status":"ok"}` while the
 * process lives (whatever CouchDB does), `GET /ready` 200 `{"ready":true}` or 503
 * `{"ready":false,"reason":…}`. False for any other request.
 */
export function answerProbe(req: IncomingMessage, res: ServerResponse, readiness: Readiness): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?')[0];
  if (path === '/health') {
    send(res, 200, { status: 'ok' });
    return true;
  }
  if (path !== '/ready') return false;
  readiness().then(
    (reason) => send(res, reason === null ? 200 : 503, reason === null ? { ready: true } : { ready: false, reason }),
    (error: unknown) => send(res, 503, { ready: false, reason: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
