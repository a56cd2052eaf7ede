import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

// undici's request, not fetch: it neither adds Sec-Fetch-Mode nor decompresses, so the
// tests see the headers and bytes as they travel.
let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

async function get(path: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'POST' = 'GET', body?: string) {
  const response = await request(`${t.gateway.url}${path}`, { method, headers, body });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { status: response.statusCode, header, bytes };
}

const ANONYMOUS_QUERY = JSON.stringify({ query: '{ currentUser { id } }' });
const post = (headers: Record<string, string>) =>
  get('/graphql', { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers }, 'POST', ANONYMOUS_QUERY);

describe('401 challenges', () => {
  it('curl and other clients get WWW-Authenticate: Basic', async () => {
    const clients: Record<string, string>[] = [{}, { 'sec-fetch-mode': 'cors' } /* Node's fetch */, { 'user-agent': 'curl/8.5.0' }];
    for (const headers of clients) {
      const response = await post(headers);
      expect(response.status).toBe(401);
      expect(response.header('www-authenticate')).toBe('Basic realm="icure-user-gateway", charset="UTF-8"');
    }
  });

  it("a browser page's script (fetch, XHR) gets a challenge browsers do not answer with a sign-in dialog", async () => {
    const fromScripts: Record<string, string>[] = [
      { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'same-origin', 'sec-fetch-site': 'same-origin' },
      { 'x-requested-with': 'XMLHttpRequest' },
    ];
    for (const headers of fromScripts) {
      const response = await post(headers);
      expect(response.status).toBe(401);
      // One challenge only (undici joins repeated headers).
      expect(response.header('www-authenticate')).toBe('X-Basic realm="icure-user-gateway", charset="UTF-8"');
      const { errors } = JSON.parse(response.bytes.toString());
      expect(errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('Authorization: Basic') });
    }
    // A navigation is the browser's own request: its dialog is the way to sign in there.
    const navigation = await post({ 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' });
    expect(navigation.header('www-authenticate')).toBe('Basic realm="icure-user-gateway", charset="UTF-8"');
  });
});

describe('GraphiQL page and assets', () => {
  it('GET / redirects to /graphql', async () => {
    const response = await get('/');
    expect(response.status).toBe(302);
    expect(response.header('location')).toBe('/graphql');
  });

  it('is a small page whose assets are cacheable for good and compressed as Accept-Encoding asks', async () => {
    const page = await get('/graphql', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.bytes.length).toBeLessThan(16_384);
    const html = page.bytes.toString();
    const paths = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g), ...html.matchAll(/"(\/graphiql\/[^"]+\.worker\.js)"/g)].map((match) => match[1]!);
    expect(paths.map((path) => path.split('/').pop()).sort()).toEqual([
      'editor.worker.js',
      'favicon.ico',
      'graphiql.css',
      'graphiql.js',
      'graphql.worker.js',
      'json.worker.js',
    ]);

    const script = paths.find((path) => path.endsWith('/graphiql.js'))!;
    const plain = await get(script);
    expect(plain.header('content-encoding')).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1_000_000);
    expect(plain.header('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.header('vary')).toContain('Accept-Encoding');
    const br = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.header('content-encoding')).toBe('br');
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 3);
    expect(brotliDecompressSync(br.bytes).equals(plain.bytes)).toBe(true);
    const gzip = await get(script, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(gzip.bytes).equals(plain.bytes)).toBe(true);
    // The browser revalidates with the ETag and gets no body back.
    const again = await get(script, { 'if-none-match': plain.header('etag')! });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect((await get('/graphiql/unknown/graphiql.js')).status).toBe(404);
  });
});

describe('response compression', () => {
  it('compresses large answers as Accept-Encoding asks, and leaves small ones alone', async () => {
    const introspection = JSON.stringify({ query: '{ __schema { types { name description fields { name description } } } }' });
    const json = { 'content-type': 'application/json' };
    const large = await get('/graphql', { ...json, 'accept-encoding': 'gzip' }, 'POST', introspection);
    expect(large.header('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(large.bytes).toString()).data.__schema.types.length).toBeGreaterThan(20);
    const identity = await get('/graphql', json, 'POST', introspection);
    expect(identity.header('content-encoding')).toBeUndefined();
    expect(identity.bytes.length).toBeGreaterThan(large.bytes.length * 3);

    const small = await get('/graphql', { ...json, 'accept-encoding': 'gzip, br' }, 'POST', JSON.stringify({ query: '{ __typename }' }));
    expect(small.header('content-encoding')).toBeUndefined();
    expect(JSON.parse(small.bytes.toString())).toEqual({ data: { __typename: 'Query' } });
  });
});
