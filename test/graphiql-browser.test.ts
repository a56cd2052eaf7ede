import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_HEADERS, startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

// GraphiQL in a real browser: Debian's Chromium, driven by playwright-core (no downloaded browser), with every
// request that does not go to the gateway aborted, so a GraphiQL that needed a CDN would show up here broken.
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`GraphiQL browser test skipped: no ${CHROMIUM}; install it with apt-get install chromium`);

const SCREENSHOT = fileURLToPath(new URL('../test-artifacts/graphiql.png', import.meta.url));
const USERS_QUERY = '{ users(first: 5) { totalCount edges { node { login } } } }';

describe.skipIf(!hasChromium)('GraphiQL in headless Chromium', () => {
  let t: TestGateway;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  /** Requests the page tried to make outside the gateway's origin, all aborted. */
  const aborted: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestGateway();
    const gatewayOrigin = new URL(t.gateway.url).origin;
    // A fresh, empty profile: no cache, no localStorage (GraphiQL keeps tabs and headers there).
    profile = mkdtempSync(join(tmpdir(), 'graphiql-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
      viewport: { width: 1600, height: 900 },
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      // GraphiQL starts Monaco's workers from blob: URLs it builds in the page.
      if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === gatewayOrigin) return route.continue();
      aborted.push(url);
      return route.abort('internetdisconnected');
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => void pageErrors.push(error.message));
  });

  beforeEach(({ onTestFailed }) => {
    // On a failure, the artifact shows the page as the failing test left it.
    onTestFailed(async () => {
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page?.screenshot({ path: SCREENSHOT }).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('loads from the gateway alone, compressed, and the editor is ready within 15 s: nothing off-origin is requested', async () => {
    const assets: Response[] = [];
    // Context-wide: Monaco's workers fetch their scripts outside the page.
    context.on('response', (r) => void (r.url().includes('/graphiql/') && assets.push(r)));
    const started = performance.now();
    // The query comes in the URL: yoga's GraphiQL reads ?query= as the initial operation.
    const response = await page.goto(`${t.gateway.url}/graphql?query=${encodeURIComponent(USERS_QUERY)}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.getByRole('button', { name: /^Execute query/ }).waitFor();
    // Monaco renders the operation editor's text once its workers run.
    const operation = page.getByRole('region', { name: 'Operation Editor' });
    await expect.poll(async () => normalize(await operation.locator('.view-lines').innerText()), { timeout: 15_000 }).toContain('users(first: 5)');
    const readyMs = performance.now() - started;
    console.info(`GraphiQL ready in ${Math.round(readyMs)} ms`);
    // Generous: about 2 s on an idle 2-core machine; the 9 MB page of before took 10 to 23 s on a busy one.
    expect(readyMs).toBeLessThan(15_000);
    // The page is small; the bundle, its styles and Monaco's workers come compressed, cacheable for good.
    expect(Number((await response!.request().sizes()).responseBodySize)).toBeLessThan(16_384);
    const script = assets.find((r) => r.url().endsWith('/graphiql.js'));
    expect(script?.headers()).toMatchObject({ 'content-encoding': 'br', 'cache-control': expect.stringContaining('immutable'), etag: expect.any(String) });
    // Monaco starts its workers from their own URLs, a little after the editor shows.
    await expect
      .poll(() => assets.map((r) => r.url().split('/').pop()), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['editor.worker.js', 'graphiql.css', 'graphiql.js', 'graphql.worker.js', 'json.worker.js']));
    expect(aborted, `requests outside the gateway: ${aborted.join(', ')}`).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the schema in the documentation explorer: Query and its root fields', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.getByRole('region', { name: 'Documentation Explorer' });
    // The root types come from introspection, which GraphiQL runs at load (anonymous introspection is allowed).
    await docs.getByRole('link', { name: 'Query', exact: true }).click();
    await docs.getByRole('link', { name: 'users', exact: true }).waitFor();
    await docs.getByRole('link', { name: 'currentUser', exact: true }).waitFor();
    expect(await docs.innerText()).toContain('Reads of iCure users.');
  });

  it('answers an anonymous query with the UNAUTHENTICATED error in the result pane, saying how to authenticate', async () => {
    // A 401 with a Basic challenge would make Chromium open its sign-in dialog (headless: wait forever).
    const executed = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('users('), { timeout: 15_000 });
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const response = await executed;
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).not.toMatch(/^Basic/i);
    const result = page.getByRole('region', { name: 'Result Window' });
    await expect.poll(async () => normalize(await result.locator('.view-lines').innerText()), { timeout: 15_000 }).toContain('"code": "UNAUTHENTICATED"');
    // The message names the header to send and where GraphiQL takes it.
    const shown = normalize(await result.locator('.view-lines').innerText());
    expect(shown).toContain('Authorization: Basic');
    expect(shown).toContain('Headers');
  });

  it('runs the users query with an Authorization header typed into the Headers editor and shows the result', async () => {
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    // Variables and Headers share one section; only the selected editor is visible.
    const headersEditor = page.getByRole('region', { name: 'Headers' }).locator('.monaco-editor').filter({ visible: true });
    await headersEditor.click();
    // insertText, not type: typed keys would meet Monaco's auto-closing brackets and quotes.
    await page.keyboard.insertText(JSON.stringify({ Authorization: ADMIN_HEADERS.authorization }));

    const executed = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('users('));
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const response = await executed;
    expect(response.request().headers().authorization).toBe(ADMIN_HEADERS.authorization);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ data: { users: { totalCount: 1, edges: [{ node: { login: 'admin' } }] } } });

    const result = page.getByRole('region', { name: 'Result Window' });
    await expect.poll(async () => normalize(await result.locator('.view-lines').innerText()), { timeout: 15_000 }).toContain('"login": "admin"');
    expect(normalize(await result.locator('.view-lines').innerText())).toContain('"totalCount": 1');
    expect(aborted, `requests outside the gateway: ${aborted.join(', ')}`).toEqual([]);
    expect(pageErrors).toEqual([]);

    // The artifact shows the docs at the users field, the operation, its headers and its result.
    await page.getByRole('region', { name: 'Documentation Explorer' }).getByRole('link', { name: 'users', exact: true }).scrollIntoViewIfNeeded();
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('runs a subscription (SSE, with the CSRF header GraphiQL is configured to send) and shows an event as it arrives', async () => {
    // The Authorization header typed above is still in the Headers editor.
    const operation = page.getByRole('region', { name: 'Operation Editor' }).locator('.monaco-editor');
    await operation.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('subscription Live { usersChanged { cursor kind user { login name } } }');
    const streaming = page.waitForResponse((r) => r.request().url().includes('Live') && r.status() === 200);
    await page.getByRole('button', { name: /^Execute/ }).click();
    const response = await streaming;
    expect(response.request().headers()).toMatchObject({ accept: expect.stringContaining('text/event-stream'), 'x-graphql-yoga-csrf': '1' });

    const [written] = await t.admin.insert(t.db, [icureUser({ login: 'seen-in-graphiql', name: 'Live in GraphiQL' })]);
    const result = page.getByRole('region', { name: 'Result Window' });
    await expect.poll(async () => normalize(await result.locator('.view-lines').innerText()), { timeout: 15_000 }).toContain('"login": "seen-in-graphiql"');
    expect(normalize(await result.locator('.view-lines').innerText())).toContain('"kind": "CREATED"');
    expect(written).toBeDefined();
    expect(aborted, `requests outside the gateway: ${aborted.join(', ')}`).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Monaco renders spaces as non-breaking ones. */
function normalize(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}
