import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from './support/sse.js';
import { ADMIN_HEADERS, basic, startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

const CURRENT_USER = 'query Me { currentUser { login } }';
const USERS_CHANGED = 'subscription Live { usersChanged { kind userId } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(t: TestGateway, body: object, headers: Record<string, string> = ADMIN_HEADERS) {
  const response = await fetch(`${t.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...(await response.json()) };
}
const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

describe('PERSISTED_OPERATIONS_ONLY=true', () => {
  let directory: string;
  let manifestFile: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'trusted-'));
    manifestFile = path.join(directory, 'persisted-documents.json');
    await writeFile(manifestFile, JSON.stringify({ [`sha256:${sha256(CURRENT_USER)}`]: CURRENT_USER, [`sha256:${sha256(USERS_CHANGED)}`]: USERS_CHANGED }));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  describe('in production', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway({ persistedOperations: { manifestFile }, developmentMode: false });
    });
    afterAll(() => t?.close());

    it("runs a manifest operation by its hash (Apollo's persistedQuery extension)", async () => {
      expect((await post(t, byHash(sha256(CURRENT_USER)))).data).toEqual({ currentUser: { login: 'admin' } });
    });

    it('refuses any other operation, and unknown hashes, with a clear error', async () => {
      const arbitrary = await post(t, { query: '{ currentUser { login } }' });
      expect(arbitrary.status).toBe(400);
      expect(arbitrary.errors[0]).toMatchObject({
        message: 'Only trusted (persisted) operations run on this server',
        extensions: { code: 'BAD_USER_INPUT', persistedQuery: 'REQUIRED' },
      });
      const unknown = await post(t, byHash(sha256('query Other { __typename }')));
      expect(unknown.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', persistedQuery: 'NOT_FOUND' });
    });

    it('streams a manifest subscription by its hash, and refuses any other subscription', async () => {
      const live = await subscribe(t.gateway.url, '', {}, ADMIN_HEADERS, { body: byHash(sha256(USERS_CHANGED)) });
      expect(live.status).toBe(200);
      const [written] = await t.admin.insert(t.db, [icureUser()]);
      expect((await live.next()).result?.data).toEqual({ usersChanged: { kind: 'CREATED', userId: written!.id } });
      live.close();

      const arbitrary = await subscribe(t.gateway.url, 'subscription { usersChanged { userId } }', {}, ADMIN_HEADERS);
      expect(arbitrary.status).toBe(400);
      expect((await arbitrary.next()).result?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', persistedQuery: 'REQUIRED' });
    });
  });

  describe('in development', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway({ persistedOperations: { manifestFile }, developmentMode: true });
      await t.graphql('mutation { createUser(input: { login: "someone", password: "someone password" }) { id } }');
    });
    afterAll(() => t?.close());

    it('lets admins run any operation (GraphiQL), others only trusted ones', async () => {
      expect((await post(t, { query: '{ currentUser { login } }' })).data).toEqual({ currentUser: { login: 'admin' } });
      const someone = basic('someone', 'someone password');
      const refused = await post(t, { query: '{ currentUser { login } }' }, someone);
      expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await post(t, byHash(sha256(CURRENT_USER)), someone)).data).toEqual({ currentUser: { login: 'someone' } });
      expect((await fetch(`${t.gateway.url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(200);
    });

    it('applies the same rule to subscriptions (which never reach the execution hook)', async () => {
      const someone = basic('someone', 'someone password');
      // Its own changes, which it may follow; but not with an arbitrary document.
      const { data } = await post(t, byHash(sha256(CURRENT_USER)), someone);
      const own = (await t.admin.allDocs(t.db)).find((doc) => doc.login === data.currentUser.login)._id;
      const refused = await subscribe(t.gateway.url, `subscription { userChanged(id: "${own}") { userId } }`, {}, someone);
      expect(refused.status).toBe(403);
      expect((await refused.next()).result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const admin = await subscribe(t.gateway.url, 'subscription { usersChanged { userId } }', {}, ADMIN_HEADERS);
      expect(admin.status).toBe(200);
      const [written] = await t.admin.insert(t.db, [icureUser()]);
      expect((await admin.next()).result?.data).toEqual({ usersChanged: { userId: written!.id } });
      admin.close();
    });
  });

  it("accepts the manifest graphql-codegen's client preset writes for the example operations", async () => {
    const committed = path.resolve('examples/generated/persisted-documents.json');
    const manifest: Record<string, string> = JSON.parse(await readFile(committed, 'utf8'));
    const [hash] = Object.entries(manifest).find(([, document]) => document.startsWith('query CurrentUser ')) ?? [];
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const t = await startTestGateway({ persistedOperations: { manifestFile: committed }, developmentMode: false });
    try {
      const response = await post(t, byHash(hash!.slice('sha256:'.length)));
      expect(response.errors).toBeUndefined();
      expect(response.data.currentUser.login).toBe('admin');
    } finally {
      await t.close();
    }
  });
});
