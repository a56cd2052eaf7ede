import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';
import { subscribe } from './support/sse.js';
import { TEST_ADMIN } from './support/test-config.js';
import { basic, startTestGateway, type TestGateway } from './support/test-gateway.js';

type Caller = 'anonymous' | 'user' | 'hcp' | 'groupAdmin' | 'platformAdmin';
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';
const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const A = 'allowed';

let t: TestGateway;
const ids: Record<string, string> = {};
let counter = 0;
const fresh = (base: string) => `${base}-${++counter}`;

const credentials: Record<Caller, Record<string, string>> = {
  anonymous: {},
  user: basic('plain', 'plain password'),
  hcp: basic('doctor', 'doctor password'),
  groupAdmin: basic('g1/g1admin', 'g1 admin password'),
  platformAdmin: basic(TEST_ADMIN.login, TEST_ADMIN.password),
};

async function create(input: Record<string, unknown>, groupId?: string): Promise<string> {
  const response = await t.graphql('mutation($i: CreateUserInput!, $g: ID) { createUser(input: $i, groupId: $g) { id } }', { i: input, g: groupId });
  expect(response.errors).toBeUndefined();
  return response.data.createUser.id;
}

beforeAll(async () => {
  t = await startTestGateway();
  ids.plain = await create({ login: 'plain', email: 'plain@example.org', password: 'plain password' });
  ids.doctor = await create({ login: 'doctor', password: 'doctor password', healthcarePartyId: 'hcp-1' });
  ids.target = await create({ login: 'target', email: 'target@example.org', healthcarePartyId: 'hcp-2' });
  ids.g1admin = await create({ login: 'g1admin', password: 'g1 admin password', permissions: [{ grants: [{ type: 'ADMIN' }] }] }, 'g1');
});
afterAll(() => t?.close());

interface Case {
  field: string;
  name: string;
  query: () => { query: string; variables?: Record<string, unknown> };
  expected: Record<Caller, Outcome>;
}

const everyone = { anonymous: U, user: A, hcp: A, groupAdmin: A, platformAdmin: A } as const;
const readersOfOthers = { anonymous: U, user: F, hcp: A, groupAdmin: A, platformAdmin: A } as const;
const admins = { anonymous: U, user: F, hcp: F, groupAdmin: A, platformAdmin: A } as const;
const platformAdmins = { anonymous: U, user: F, hcp: F, groupAdmin: F, platformAdmin: A } as const;
const publicField = { anonymous: A, user: A, hcp: A, groupAdmin: A, platformAdmin: A } as const;
const q = (query: string, variables?: Record<string, unknown>) => () => ({ query, variables });

const cases: Case[] = [
  { field: 'currentUser', name: 'reads itself', query: q('{ currentUser { id } }'), expected: everyone },
  { field: 'checkPassword', name: 'checks its password', query: q('{ checkPassword(password: "x") }'), expected: everyone },
  { field: 'encodePassword', name: 'encodes a password', query: q('{ encodePassword(password: "long enough") }'), expected: everyone },
  { field: 'currentUserMatches', name: 'finds its groups', query: q('{ currentUserMatches { userId } }'), expected: everyone },
  {
    field: 'authenticationTokenValid',
    name: "of another user's token",
    query: q('{ authenticationTokenValid(userId: "target", token: "x") }'),
    expected: admins,
  },
  {
    field: 'authenticationTokenValid',
    name: 'of its own token',
    query: q('{ authenticationTokenValid(userId: "plain", token: "x") }'),
    expected: { ...admins, user: A },
  },
  { field: 'user', name: 'another user', query: () => ({ query: `{ user(id: "${ids.target}") { id } }` }), expected: readersOfOthers },
  { field: 'user', name: 'itself', query: () => ({ query: `{ user(id: "${ids.plain}") { id } }` }), expected: { ...readersOfOthers, user: A } },
  { field: 'user', name: 'in another group', query: () => ({ query: `{ user(id: "x", groupId: "g1") { id } }` }), expected: platformAdmins },
  { field: 'node', name: 'another user', query: () => ({ query: `{ node(id: "${ids.target}") { id } }` }), expected: readersOfOthers },
  { field: 'nodes', name: 'another user', query: () => ({ query: `{ nodes(ids: ["${ids.target}"]) { id } }` }), expected: readersOfOthers },
  { field: 'userByEmail', name: 'another user', query: q('{ userByEmail(email: "target@example.org") { id } }'), expected: readersOfOthers },
  { field: 'userByEmail', name: 'itself', query: q('{ userByEmail(email: "plain@example.org") { id } }'), expected: { ...readersOfOthers, user: A } },
  { field: 'userByLogin', name: 'another user', query: q('{ userByLogin(login: "target") { id } }'), expected: readersOfOthers },
  { field: 'userByLogin', name: 'itself', query: q('{ userByLogin(login: "plain") { id } }'), expected: { ...readersOfOthers, user: A } },
  { field: 'users', name: 'a page', query: q('{ users(first: 2) { totalCount } }'), expected: readersOfOthers },
  { field: 'users', name: 'of another group', query: q('{ users(first: 2, groupId: "g1") { totalCount } }'), expected: platformAdmins },
  { field: 'usersByHealthcareParty', name: 'a healthcare party', query: q('{ usersByHealthcareParty(healthcarePartyId: "hcp-2") { id } }'), expected: readersOfOthers },
  {
    field: 'createUser',
    name: 'in its database',
    query: () => ({ query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', variables: { i: { login: fresh('made') } } }),
    expected: admins,
  },
  {
    field: 'createUser',
    name: 'in another group',
    query: () => ({ query: 'mutation($i: CreateUserInput!) { createUser(input: $i, groupId: "g2") { id } }', variables: { i: { login: fresh('made') } } }),
    expected: platformAdmins,
  },
  {
    field: 'modifyUser',
    name: 'another user',
    query: () => ({ query: `mutation { modifyUser(input: { id: "${ids.target}", rev: "1-deadbeef", name: "x" }) { id } }` }),
    expected: admins,
  },
  {
    field: 'modifyUser',
    name: 'itself, harmless fields',
    query: () => ({ query: `mutation { modifyUser(input: { id: "${ids.plain}", rev: "1-deadbeef", name: "x" }) { id } }` }),
    expected: { ...admins, user: A },
  },
  {
    field: 'modifyUser',
    name: 'its own roles',
    query: () => ({ query: `mutation { modifyUser(input: { id: "${ids.plain}", rev: "1-deadbeef", roles: ["ROOT"] }) { id } }` }),
    expected: admins,
  },
  {
    field: 'modifyUserProperties',
    name: 'another user',
    query: () => ({ query: `mutation { modifyUserProperties(userId: "${ids.target}", properties: []) { id } }` }),
    expected: admins,
  },
  {
    field: 'modifyUserProperties',
    name: 'itself',
    query: () => ({ query: `mutation { modifyUserProperties(userId: "${ids.plain}", properties: []) { id } }` }),
    expected: { ...admins, user: A },
  },
  {
    field: 'createAuthenticationToken',
    name: 'for another user',
    query: q('mutation { createAuthenticationToken(userId: "target", key: "k") { key } }'),
    expected: admins,
  },
  {
    field: 'createAuthenticationToken',
    name: 'for itself',
    query: q('mutation { createAuthenticationToken(userId: "plain", key: "k") { key } }'),
    expected: { ...admins, user: A },
  },
  { field: 'deleteUser', name: 'a user', query: q('mutation { deleteUser(userId: "ghost") { id } }'), expected: admins },
  { field: 'undeleteUser', name: 'a user', query: q('mutation { undeleteUser(userId: "ghost", rev: "1-deadbeef") { id } }'), expected: admins },
  { field: 'requestPasswordReset', name: 'by anyone', query: q('mutation { requestPasswordReset(email: "nobody@example.org") }'), expected: publicField },
  {
    field: 'resetPassword',
    name: 'by anyone',
    query: q('mutation { resetPassword(email: "nobody@example.org", token: "nope", newPassword: "long enough") }'),
    expected: publicField,
  },
  // Last: it changes the callers it allows.
  {
    field: 'assignHealthcarePartyToCurrentUser',
    name: 'while it has none (an admin: always)',
    query: q('mutation { assignHealthcarePartyToCurrentUser(healthcarePartyId: "hcp-9") { id } }'),
    expected: { anonymous: U, user: A, hcp: F, groupAdmin: A, platformAdmin: A },
  },
];

function outcome(response: { errors?: { extensions?: Record<string, any> }[] }): Outcome {
  const codes = (response.errors ?? []).map((error) => error.extensions?.code);
  if (codes.includes(U)) return U;
  if (codes.includes(F)) return F;
  return A;
}

describe('authorization table', () => {
  it('has a rule for every root field', () => {
    const rootFields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.keys(type.getFields()));
    expect([...new Set(cases.map((entry) => entry.field))].sort()).toEqual(rootFields.sort());
  });

  it.each(cases.flatMap((entry) => (Object.keys(entry.expected) as Caller[]).map((caller) => [entry.field, entry.name, caller, entry] as const)))(
    '%s (%s) as %s',
    async (_field, _name, caller, entry) => {
      const { query, variables } = entry.query();
      const response = await t.graphql(query, variables, credentials[caller]);
      expect(outcome(response), JSON.stringify(response.errors)).toBe(entry.expected[caller]);
      if (outcome(response) === U) expect(response.status).toBe(401);
    },
  );
});

describe('field-level rules', () => {
  it('shows token metadata to the user itself and to admins only', async () => {
    const query = `{ user(id: "${ids.target}") { id authenticationTokens { key } } }`;
    const byHcp = await t.graphql(query, undefined, credentials.hcp);
    expect(byHcp.data.user).toEqual({ id: ids.target, authenticationTokens: null });
    expect(byHcp.errors?.[0]?.extensions?.code).toBe(F);
    expect((await t.graphql(query, undefined, credentials.platformAdmin)).data.user.authenticationTokens).toEqual([{ key: 'k' }]);
    const own = await t.graphql('{ currentUser { authenticationTokens { key } } }', undefined, credentials.hcp);
    expect(own.errors).toBeUndefined();
  });

  it("works in the caller's own database when no groupId is given", async () => {
    const { data } = await t.graphql('{ currentUser { id } users { totalCount } }', undefined, credentials.groupAdmin);
    expect(data.currentUser.id).toBe(ids.g1admin);
    const direct = await t.graphql('{ users { totalCount } }', undefined, credentials.platformAdmin);
    expect(data.users.totalCount).not.toBe(direct.data.users.totalCount);
  });
});

describe('subscriptions, by the rules of their query counterparts', () => {
  /** A subscription of a caller, and the user whose change it should see (in the caller's database, or a group's). */
  interface SubscriptionCase {
    field: string;
    name: string;
    query: string;
    watched: (caller: Caller) => { groupId: string | null; id: string };
    expected: Record<Caller, Outcome>;
  }
  const own: Record<Caller, () => { groupId: string | null; id: string }> = {
    anonymous: () => ({ groupId: null, id: ids.plain! }),
    user: () => ({ groupId: null, id: ids.plain! }),
    hcp: () => ({ groupId: null, id: ids.doctor! }),
    groupAdmin: () => ({ groupId: 'g1', id: ids.g1admin! }),
    platformAdmin: () => ({ groupId: null, id: ids.admin! }),
  };
  // Without groupId a caller works in its own database: the group admin watches g1.
  const target = (caller: Caller) => ({ groupId: caller === 'groupAdmin' ? 'g1' : null, id: ids.target! });
  const subscriptionCases: SubscriptionCase[] = [
    { field: 'userChanged', name: 'of another user', query: 'subscription($id: ID!) { userChanged(id: $id) { userId } }', watched: target, expected: readersOfOthers },
    {
      field: 'userChanged',
      name: 'of itself',
      query: 'subscription($id: ID!) { userChanged(id: $id) { userId } }',
      watched: (caller) => own[caller](),
      expected: everyone,
    },
    { field: 'usersChanged', name: 'of its database', query: 'subscription { usersChanged { userId } }', watched: target, expected: readersOfOthers },
    {
      field: 'usersChanged',
      name: 'of another group',
      query: 'subscription { usersChanged(groupId: "g1") { userId } }',
      watched: () => ({ groupId: 'g1', id: ids.g1admin! }),
      expected: platformAdmins,
    },
  ];

  beforeAll(async () => {
    ids.admin = (await t.graphql('{ currentUser { id } }')).data.currentUser.id;
    // The plain user got a healthcare party above (the last case of the table): it loses it again.
    const { healthcarePartyId: _hcp, ...plain } = (await t.admin.get(t.db, ids.plain!)).body;
    await t.admin.insert(t.db, [plain]);
    for (let tries = 0; outcome(await t.graphql('{ users { totalCount } }', undefined, credentials.user)) !== F; tries++) {
      if (tries > 200) throw new Error('the gateway never saw the change');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A copy of the target in g1, for the group admin to watch there.
    const doc = (await t.admin.get(t.db, ids.target!)).body;
    const { _rev: _unused, ...copy } = doc;
    await t.admin.insert(`${t.prefix}-g1-base`, [copy]);
  });

  it('has a rule for every subscription field', () => {
    expect([...new Set(subscriptionCases.map((entry) => entry.field))].sort()).toEqual(Object.keys(schema.getSubscriptionType()!.getFields()).sort());
  });

  it.each(subscriptionCases.flatMap((entry) => (Object.keys(entry.expected) as Caller[]).map((caller) => [entry.field, entry.name, caller, entry] as const)))(
    '%s (%s) as %s',
    async (_field, _name, caller, entry) => {
      const watched = entry.watched(caller);
      const stream = await subscribe(t.gateway.url, entry.query, { id: watched.id }, credentials[caller]);
      try {
        // Refused: the stream's one event is the error. Allowed: the watched user's next change arrives.
        const database = watched.groupId ? `${t.prefix}-${watched.groupId}-base` : t.db;
        const doc = (await t.admin.get(database, watched.id)).body;
        await t.admin.insert(database, [{ ...doc, name: fresh('changed') }]);
        const first = await stream.next();
        expect(outcome(first.result ?? {}), JSON.stringify(first.result)).toBe(entry.expected[caller]);
        if (outcome(first.result ?? {}) === A) expect(Object.values(first.result!.data!)[0]).toEqual({ userId: watched.id });
      } finally {
        stream.close();
      }
    },
  );
});
