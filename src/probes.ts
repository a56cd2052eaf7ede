import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Why the gateway cannot serve yet (e.g. `building indexes`), or null when it can, and
 * what else `/ready` shows either way (e.g. the CouchDB nodes, the change feeds).
 */
export type Readiness = () => Promise<{ reason: string | null; details: Record<string, unknown> }>;

/**
 * Answers the probes ahead of GraphQL: `GET /health` 200 `{"status":"ok"}` while the
 * process lives (whatever CouchDB does), `GET /ready` 200 `{"ready":true,…details}` or 503
 * `{"ready":false,"reason":…,…details}`. False for any other request.
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
    ({ reason, details }) => send(res, reason === null ? 200 : 503, reason === null ? { ready: true, ...details } : { ready: false, reason, ...details }),
    (error: unknown) => send(res, 503, { ready: false, reason: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
