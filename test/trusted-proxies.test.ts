import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { TEST_ADMIN } from './support/test-config.js';
import { ADMIN_HEADERS, basic, startTestGateway, type TestGateway } from './support/test-gateway.js';

const ME = '{ currentUser { login } }';

/**
 * A reverse proxy on 127.0.0.1, as nginx's `proxy_add_x_forwarded_for` does: it
 * appends its peer's address to X-Forwarded-For and forwards to the gateway.
 */
async function startReverseProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const server: Server = createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    const upstream = httpRequest({ host: hostname, port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': forwarded } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Clients on their own loopback addresses (127.0.0.2, 127.0.0.3…), one connection pool each. */
const clients = new Map<string, Agent>();
afterAll(() => Promise.all([...clients.values()].map((agent) => agent.close())));
function from(address: string): Agent {
  let agent = clients.get(address);
  if (!agent) {
    agent = new Agent({ localAddress: address });
    clients.set(address, agent);
  }
  return agent;
}

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: string | null;
}

async function call(url: string, address: string, headers: Record<string, string>, query = ME): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
    // @ts-expect-error undici's own dispatcher, which Node's fetch accepts
    dispatcher: from(address),
  });
  const body = await response.json();
  return { status: response.status, code: body.errors?.[0]?.extensions?.code, retryAfter: response.headers.get('retry-after') };
}

describe('behind a trusted reverse proxy (TRUSTED_PROXIES=127.0.0.1)', () => {
  let t: TestGateway;
  let proxy: Awaited<ReturnType<typeof startReverseProxy>>;
  const logLines: any[] = [];
  /** Through the proxy, as a client on `address`. */
  const viaProxy = (address: string, identifier: string, secret: string) => call(proxy.url, address, basic(identifier, secret));
  const lockouts = () => logLines.filter((line) => line.msg === 'authentication lockout');
  const lockoutsCounted = async (scope: string) => {
    const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
    return Number(new RegExp(`^gateway_auth_lockouts_total\\{scope="${scope}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
    t = await startTestGateway({ trustedProxies: ['127.0.0.1'] }, logger);
    proxy = await startReverseProxy(t.gateway.url);
    for (const login of ['alice', 'bob', 'dave', 'frank']) {
      const created = await t.graphql(`mutation { createUser(input: { login: "${login}", password: "${login} password" }) { id } }`);
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  it('logs each request with the address X-Forwarded-For names, and ignores the header from other peers', async () => {
    await call(proxy.url, '127.0.0.2', ADMIN_HEADERS, '{ __typename }');
    // Straight to the gateway from an untrusted peer: the header is the client's own claim.
    await call(t.gateway.url, '127.0.0.5', { ...ADMIN_HEADERS, 'x-forwarded-for': '203.0.113.9' }, '{ __typename }');
    const requests = logLines.filter((line) => line.msg === 'request').slice(-2);
    expect(requests.map((line) => line.clientAddress)).toEqual(['127.0.0.2', '127.0.0.5']);
  });

  it("A's typos lock A from that address only; B and the admin behind the same proxy still get in", async () => {
    for (let i = 0; i < 10; i++) expect((await viaProxy('127.0.0.2', 'alice', `typo ${i}`)).status).toBe(401);
    const locked = await viaProxy('127.0.0.2', 'alice', 'alice password');
    expect(locked).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect((await viaProxy('127.0.0.2', 'bob', 'bob password')).status).toBe(200);
    expect((await viaProxy('127.0.0.2', TEST_ADMIN.login, TEST_ADMIN.password)).status).toBe(200);
    expect((await viaProxy('127.0.0.3', 'alice', 'alice password')).status).toBe(200);

    expect(lockouts()).toEqual([
      expect.objectContaining({ level: 40, scope: 'pair', identifier: 'alice', clientAddress: '127.0.0.2', retryAfterSeconds: expect.any(Number) }),
    ]);
    expect(JSON.stringify(lockouts())).not.toMatch(/typo|password/);
    expect(await lockoutsCounted('pair')).toBe(1);
  });

  it('a flood of 100 bad attempts from one address throttles new credentials from it, not cached ones', async () => {
    expect((await viaProxy('127.0.0.4', TEST_ADMIN.login, TEST_ADMIN.password)).status).toBe(200);
    for (let i = 0; i < 100; i += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, j) => viaProxy('127.0.0.4', `guess-${i + j}`, 'guessed password')));
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(401));
    }
    expect((await viaProxy('127.0.0.4', TEST_ADMIN.login, TEST_ADMIN.password)).status).toBe(200);
    expect(await viaProxy('127.0.0.4', 'dave', 'dave password')).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect((await viaProxy('127.0.0.5', 'dave', 'dave password')).status).toBe(200);
    // dave is cached now: from the throttled address too.
    expect((await viaProxy('127.0.0.4', 'dave', 'dave password')).status).toBe(200);

    expect(lockouts().at(-1)).toMatchObject({ level: 40, scope: 'address', clientAddress: '127.0.0.4' });
    expect(await lockoutsCounted('address')).toBe(1);
  });

  it('an identifier guessed at from many addresses is throttled for new verifications everywhere', async () => {
    // 5 failures from each of 10 addresses: no pair reaches its 10, the identifier reaches its 50.
    for (let host = 10; host < 20; host++) {
      for (let i = 0; i < 5; i++) expect((await viaProxy(`127.0.0.${host}`, 'frank', 'guessed password')).status).toBe(401);
    }
    expect(await viaProxy('127.0.0.30', 'frank', 'frank password')).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    expect((await viaProxy('127.0.0.10', 'bob', 'bob password')).status).toBe(200);
    expect(lockouts().at(-1)).toMatchObject({ scope: 'identifier', identifier: 'frank' });
    expect(await lockoutsCounted('identifier')).toBe(1);
  });
});

describe('without TRUSTED_PROXIES', () => {
  it('the proxy is the client: X-Forwarded-For is ignored', async () => {
    const logLines: any[] = [];
    const t = await startTestGateway({}, createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) }));
    const proxy = await startReverseProxy(t.gateway.url);
    try {
      await call(proxy.url, '127.0.0.2', ADMIN_HEADERS, '{ __typename }');
      expect(logLines.filter((line) => line.msg === 'request').at(-1).clientAddress).toBe('127.0.0.1');
    } finally {
      await proxy.close();
      await t.close();
    }
  });
});
