import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

const USER_FIELDS = `
  id rev created deletionDate name login email mobilePhone status type roles groupId
  healthcarePartyId patientId deviceId termsOfUseDate hasPassword use2fa
  permissions { grants { type } revokes { type } }
  properties { id type { identifier type } typedValue { type booleanValue integerValue doubleValue stringValue dateValue } }
  autoDelegations { tag delegateIds }
  identifiers { system value type { code type } }
  authenticationTokens { key creationTime validity expired }
`;

let t: TestGateway;
const now = Date.now();

const alice = icureUser({
  _id: 'a1b2c3d4-0000-4000-8000-000000000001',
  login: 'alice',
  email: 'alice@example.org',
  name: 'Alice Martin',
  mobilePhone: '+32470000001',
  healthcarePartyId: 'hcp-1',
  passwordHash: '{bcrypt}$2b$10$abcdefghijklmnopqrstuuJm5Pq2lEoD8b6xXn3mQy0C1yZ9Ww1m2',
  secret: 'TOTPSECRET',
  use2fa: true,
  type: 'database',
  roles: ['BASIC_USER'],
  termsOfUseDate: 1_700_000_100_000,
  permissions: [
    {
      grants: [
        { java_type: 'org.taktik.icure.entities.security.AlwaysPermissionItem', type: 'ADMIN' },
        { java_type: 'org.taktik.icure.entities.security.AlwaysPermissionItem', type: 'SOMETHING_NEW' },
      ],
      revokes: [{ java_type: 'org.taktik.icure.entities.security.AlwaysPermissionItem', type: 'PATIENT_VIEW' }],
    },
  ],
  properties: [
    {
      type: { identifier: 'org.taktik.icure.preferred.language', type: 'STRING' },
      typedValue: { type: 'STRING', stringValue: 'fr' },
    },
    {
      type: { identifier: 'org.example.counter', type: 'INTEGER' },
      typedValue: { type: 'INTEGER', integerValue: 9_007_199_254_740_000 },
    },
    { type: { identifier: 'org.example.since', type: 'DATE' }, typedValue: { type: 'DATE', dateValue: 1_600_000_000_000 } },
  ],
  autoDelegations: { medicalInformation: ['hcp-2', 'hcp-3'], all: ['hcp-4'] },
  identifier: [{ system: 'urn:oid:1.2.3', value: 'X-1', type: { type: 'CD-ID', code: 'ssin' } }],
  authenticationTokens: {
    live: { token: 'c2VjcmV0LWhhc2gtbGl2ZQ', creationTime: now - 1000, validity: 3600 },
    old: { token: 'c2VjcmV0LWhhc2gtb2xk', creationTime: now - 7_200_000, validity: 3600 },
    forever: { token: 'c2VjcmV0LWhhc2gtZm9yZXZlcg', creationTime: now - 7_200_000, validity: -1 },
  },
  applicationTokens: { legacy: 'clear-legacy-token' },
});
const bob = icureUser({ _id: 'b0b00000-0000-4000-8000-000000000002', login: 'bob', email: 'bob@example.org', healthcarePartyId: 'hcp-1' });
const deleted = icureUser({
  _id: 'dead0000-0000-4000-8000-000000000003',
  login: 'carol',
  email: 'carol@example.org',
  healthcarePartyId: 'hcp-1',
  deleted: 1_700_000_500_000,
});
const legacy = {
  // An older iCure (icure-backend kraken) user: createdDate, isUse2fa, no status.
  _id: 'legacy00-0000-4000-8000-000000000004',
  java_type: 'org.taktik.icure.entities.User',
  login: ' spaced ',
  createdDate: 1_500_000_000_000,
  isUse2fa: true,
};
const notAUser = { _id: 'hcp-1', java_type: 'org.taktik.icure.entities.HealthcareParty', login: 'alice', email: 'alice@example.org' };

beforeAll(async () => {
  t = await startTestGateway();
  await t.admin.insert(t.db, [alice, bob, deleted, legacy, notAUser]);
});
afterAll(() => t?.close());

describe('user(id)', () => {
  it('returns every contract field of an iCure-written user, and no secret', async () => {
    const response = await t.graphql(`query($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, { id: alice._id });
    expect(response.errors).toBeUndefined();
    const user = response.data.user;
    expect(user).toMatchObject({
      id: alice._id,
      created: 1_700_000_000_000,
      deletionDate: null,
      name: 'Alice Martin',
      login: 'alice',
      email: 'alice@example.org',
      mobilePhone: '+32470000001',
      status: 'ACTIVE',
      type: 'DATABASE',
      roles: ['BASIC_USER'],
      healthcarePartyId: 'hcp-1',
      termsOfUseDate: 1_700_000_100_000,
      hasPassword: true,
      use2fa: true,
      permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [{ type: 'PATIENT_VIEW' }] }],
      autoDelegations: [
        { tag: 'medicalInformation', delegateIds: ['hcp-2', 'hcp-3'] },
        { tag: 'all', delegateIds: ['hcp-4'] },
      ],
      identifiers: [{ system: 'urn:oid:1.2.3', value: 'X-1', type: { code: 'ssin', type: 'CD-ID' } }],
    });
    expect(user.rev).toMatch(/^1-/);
    expect(user.properties).toEqual([
      {
        id: null,
        type: { identifier: 'org.taktik.icure.preferred.language', type: 'STRING' },
        typedValue: { type: 'STRING', booleanValue: null, integerValue: null, doubleValue: null, stringValue: 'fr', dateValue: null },
      },
      {
        id: null,
        type: { identifier: 'org.example.counter', type: 'INTEGER' },
        typedValue: { type: 'INTEGER', booleanValue: null, integerValue: 9_007_199_254_740_000, doubleValue: null, stringValue: null, dateValue: null },
      },
      {
        id: null,
        type: { identifier: 'org.example.since', type: 'DATE' },
        typedValue: { type: 'DATE', booleanValue: null, integerValue: null, doubleValue: null, stringValue: null, dateValue: 1_600_000_000_000 },
      },
    ]);
    const tokens = Object.fromEntries(user.authenticationTokens.map((token: any) => [token.key, token]));
    expect(tokens.live).toEqual({ key: 'live', creationTime: now - 1000, validity: 3600, expired: false });
    expect(tokens.old.expired).toBe(true);
    expect(tokens.forever.expired).toBe(false);

    const raw = JSON.stringify(response);
    for (const secret of ['$2b$10$', 'TOTPSECRET', 'c2VjcmV0', 'clear-legacy-token']) expect(raw).not.toContain(secret);
  });

  it('returns a soft-deleted user with its deletionDate', async () => {
    const { data } = await t.graphql(`{ user(id: "${deleted._id}") { id deletionDate login } }`);
    expect(data.user).toEqual({ id: deleted._id, deletionDate: 1_700_000_500_000, login: 'carol' });
  });

  it('reads older iCure documents: createdDate, isUse2fa, missing status', async () => {
    const { data } = await t.graphql(`{ user(id: "${legacy._id}") { created use2fa status hasPassword roles properties { id } } }`);
    expect(data.user).toEqual({ created: 1_500_000_000_000, use2fa: true, status: 'ACTIVE', hasPassword: false, roles: [], properties: [] });
  });

  it('is null for an unknown id and for a document of another type', async () => {
    const { data, errors } = await t.graphql(`{ missing: user(id: "nope") { id } other: user(id: "hcp-1") { id } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ missing: null, other: null });
  });

  it('refuses malformed ids with BAD_USER_INPUT naming the argument', async () => {
    for (const id of ['a/b', 'a?b', 'a\u0001b', '', 'a b', 'x'.repeat(600)]) {
      const response = await t.graphql('query($id: ID!) { user(id: $id) { id } }', { id });
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(response.errors?.[0]?.message).not.toBe('Unexpected error.');
    }
  });
});

describe('lookups among non-deleted users', () => {
  it('finds by exact email, not by login, and never a deleted user', async () => {
    const { data } = await t.graphql(`{
      a: userByEmail(email: "alice@example.org") { id }
      upper: userByEmail(email: "ALICE@example.org") { id }
      login: userByEmail(email: "alice") { id }
      gone: userByEmail(email: "carol@example.org") { id }
    }`);
    expect(data).toEqual({ a: { id: alice._id }, upper: null, login: null, gone: null });
  });

  it('finds by login, trimming the argument as iCure does', async () => {
    const { data } = await t.graphql(`{
      a: userByLogin(login: "  alice ") { id }
      b: userByLogin(login: "bob") { id }
      gone: userByLogin(login: "carol") { id }
      missing: userByLogin(login: "zed") { id }
    }`);
    expect(data).toEqual({ a: { id: alice._id }, b: { id: bob._id }, gone: null, missing: null });
  });

  it('lists the users of a healthcare party without deleted ones', async () => {
    const { data } = await t.graphql(`{ usersByHealthcareParty(healthcarePartyId: "hcp-1") { id } none: usersByHealthcareParty(healthcarePartyId: "hcp-9") { id } }`);
    expect(data.usersByHealthcareParty.map((user: { id: string }) => user.id).sort()).toEqual([alice._id, bob._id].sort());
    expect(data.none).toEqual([]);
  });

  it('refuses blank lookup values', async () => {
    const response = await t.graphql(`{ userByEmail(email: "   ") { id } }`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });
});

describe('node and nodes', () => {
  it('resolve raw CouchDB ids, deleted users included, null for absent ones', async () => {
    const { data, errors } = await t.graphql(`{
      node(id: "${bob._id}") { __typename id ... on User { login } }
      nodes(ids: ["${alice._id}", "nope", "${deleted._id}", "hcp-1"]) { id }
    }`);
    expect(errors).toBeUndefined();
    expect(data.node).toEqual({ __typename: 'User', id: bob._id, login: 'bob' });
    expect(data.nodes).toEqual([{ id: alice._id }, null, { id: deleted._id }, null]);
  });

  it('refuses malformed ids', async () => {
    const response = await t.graphql(`{ node(id: "a/b") { id } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('groupId', () => {
  it("reads the group's own database, and an absent group as an empty one", async () => {
    await t.admin.createDatabase(`${t.prefix}-grp1-base`);
    await t.admin.insert(`${t.prefix}-grp1-base`, [icureUser({ _id: 'in-group', login: 'alice', email: 'g@example.org' })]);
    const { data, errors } = await t.graphql(`{
      user(id: "in-group", groupId: "grp1") { id login }
      notDefault: user(id: "in-group") { id }
      byLogin: userByLogin(login: "alice", groupId: "grp1") { id }
      absent: user(id: "in-group", groupId: "nosuchgroup") { id }
      absentList: users(groupId: "nosuchgroup") { totalCount edges { cursor } }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      user: { id: 'in-group', login: 'alice' },
      notDefault: null,
      byLogin: { id: 'in-group' },
      absent: null,
      absentList: { totalCount: 0, edges: [] },
    });
    expect(await t.admin.databases()).not.toContain(`${t.prefix}-nosuchgroup-base`);
  });

  it('refuses a group id that cannot name a database', async () => {
    for (const groupId of ['Upper', 'a/b', '../x', 'x'.repeat(300)]) {
      const response = await t.graphql('query($g: ID) { user(id: "x", groupId: $g) { id } }', { g: groupId });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groupId' });
    }
  });
});
