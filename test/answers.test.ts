import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HEADERS, basic, startTestGateway, type TestGateway } from './support/test-gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  for (const login of ['plain', 'written']) {
    const created = await t.graphql(`mutation { createUser(input: { login: "${login}", password: "${login} password" }) { id } }`);
    expect(created.errors).toBeUndefined();
  }
});
afterAll(() => t?.close());

const PARTIAL = '{ usersByHealthcareParty(healthcarePartyId: "x") { id } userByEmail(email: "") { id } }';

async function post(body: string, accept: string, headers: Record<string, string> = ADMIN_HEADERS) {
  const response = await fetch(`${t.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...headers }, body });
  return { status: response.status, body: await response.json() };
}

describe('HTTP statuses (GraphQL over HTTP)', () => {
  for (const accept of ['application/graphql-response+json', 'application/json']) {
    it(`a partial success is 200 with its data and errors (${accept})`, async () => {
      const { status, body } = await post(JSON.stringify({ query: PARTIAL }), accept);
      expect(status).toBe(200);
      expect(body.data).toEqual({ usersByHealthcareParty: [], userByEmail: null });
      expect(body.errors).toMatchObject([{ path: ['userByEmail'], extensions: { code: 'BAD_USER_INPUT', field: 'email' } }]);
    });

    it(`a request error keeps its 4xx: unreadable JSON, no originalError in the answer (${accept})`, async () => {
      const { status, body } = await post('{"query": "{ __typename }", "secret-looking": ', accept);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_USER_INPUT', reason: 'BAD_REQUEST' } }]);
    });

    it(`when every root field failed, the errors' status stands (${accept})`, async () => {
      const anonymous = await post(JSON.stringify({ query: '{ user(id: "x") { id } userByLogin(login: "plain") { id } }' }), accept, {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ data: { user: null, userByLogin: null }, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }, {}] });
    });
  }

  it('a document that does not validate: 400 for application/graphql-response+json, 200 for application/json (the spec)', async () => {
    const invalid = JSON.stringify({ query: '{ noSuchField }' });
    expect((await post(invalid, 'application/graphql-response+json')).status).toBe(400);
    const legacy = await post(invalid, 'application/json');
    expect(legacy.status).toBe(200);
    expect(legacy.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('refusals that say what to do', () => {
  it('a CORS preflight with CORS_ORIGINS unset is refused as CORS, naming the setting', async () => {
    const response = await fetch(`${t.gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const { errors } = await response.json();
    expect(errors[0].extensions.code).toBe('FORBIDDEN');
    expect(errors[0].message).toContain('CORS_ORIGINS');
    expect(errors[0].message).toContain('set CORS_ORIGINS=http://app.example.org');
    expect(errors[0].message).not.toMatch(/CSRF|forgery/i);
  });

  it('the CSRF refusal names the header to send, or a preflighted content type', async () => {
    const refused = await fetch(`${t.gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: ADMIN_HEADERS });
    expect(refused.status).toBe(403);
    const { errors } = await refused.json();
    expect(errors[0].extensions.code).toBe('FORBIDDEN');
    expect(errors[0].message).toContain('x-graphql-yoga-csrf');
    expect(errors[0].message).toContain('application/json');
    const accepted = await fetch(`${t.gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...ADMIN_HEADERS, 'x-graphql-yoga-csrf': '1' } });
    expect(await accepted.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('a malformed rev is BAD_USER_INPUT naming the argument, a well-formed stale one CONFLICT', async () => {
    const user = (await t.graphql('{ userByLogin(login: "written") { id rev } }')).data.userByLogin;
    const cases = [
      ['modifyUser', 'input.rev', `mutation { modifyUser(input: { id: "${user.id}", rev: "garbage", name: "x" }) { id } }`],
      ['deleteUser', 'rev', `mutation { deleteUser(userId: "${user.id}", rev: "12") { id } }`],
      ['undeleteUser', 'rev', `mutation { undeleteUser(userId: "${user.id}", rev: "1-XYZ") { id } }`],
    ] as const;
    for (const [field, argument, mutation] of cases) {
      const response = await t.graphql(mutation);
      expect(response.status, field).toBe(400);
      expect(response.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field: argument });
      expect(response.errors?.[0]?.message, field).toContain('<number>-<hex>');
    }
    const stale = await t.graphql(`mutation { modifyUser(input: { id: "${user.id}", rev: "1-0123456789abcdef0123456789abcdef", name: "x" }) { id } }`);
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await t.graphql(`{ user(id: "${user.id}") { rev } }`)).data.user.rev).toBe(user.rev);
  });

  it('FORBIDDEN says which right was missing', async () => {
    const asPlain = basic('plain', 'plain password');
    const expectations = [
      ['{ users { totalCount } }', 'this needs readOthers (a healthcare party, or admin)'],
      ['{ user(id: "someone-else") { id } }', 'readOthers (a healthcare party, or admin) or self (being the user "someone-else")'],
      ['mutation { deleteUser(userId: "someone-else") { id } }', 'this needs admin (a non-revoked ADMIN permission in this database)'],
      ['{ users(groupId: "g1") { totalCount } }', 'this needs platformAdmin'],
    ] as const;
    for (const [query, missing] of expectations) {
      const response = await t.graphql(query, undefined, asPlain);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(response.errors?.[0]?.message, query).toContain(missing);
    }
  });
});
