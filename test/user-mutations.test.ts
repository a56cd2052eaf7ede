import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../src/users/passwords.js';
import { basic, startTestGateway, type TestGateway } from './support/test-gateway.js';
import { icureUser } from './support/user-documents.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

const FIELDS =
  'id rev login email mobilePhone name status created deletionDate hasPassword healthcarePartyId roles properties { type { identifier type } typedValue { type stringValue integerValue dateValue } }';
const CREATE = `mutation($input: CreateUserInput!, $groupId: ID) { createUser(input: $input, groupId: $groupId) { ${FIELDS} } }`;
const MODIFY = `mutation($input: ModifyUserInput!) { modifyUser(input: $input) { ${FIELDS} } }`;

let counter = 0;
const unique = (base: string) => `${base}-${++counter}-${Date.now().toString(36)}`;

async function create(input: Record<string, unknown>, groupId?: string) {
  return t.graphql(CREATE, { input, groupId });
}
async function createOk(input: Record<string, unknown>, groupId?: string) {
  const response = await create(input, groupId);
  expect(response.errors).toBeUndefined();
  return response.data.createUser;
}
async function stored(id: string, db = t.db) {
  return (await t.admin.get(db, id)).body;
}
async function reservations(db = t.db): Promise<any[]> {
  return (await t.admin.allDocs(db)).filter((doc: any) => doc.java_type === 'icure-user-gateway.IdentifierReservation');
}
const errorOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions;

describe('createUser', () => {
  it('stores an iCure-shaped document with iCure defaults', async () => {
    const before = Date.now();
    const user = await createOk({ login: unique('jane'), name: 'Jane Doe', email: '  ', mobilePhone: '' });
    expect(user).toMatchObject({ status: 'ACTIVE', email: null, mobilePhone: null, hasPassword: false, deletionDate: null, roles: [] });
    expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(user.rev).toMatch(/^1-/);
    const doc = await stored(user.id);
    expect(doc).toMatchObject({
      _id: user.id,
      java_type: 'org.taktik.icure.entities.User',
      status: 'ACTIVE',
      name: 'Jane Doe',
      identifier: [],
      properties: [],
      roles: [],
      permissions: [],
      autoDelegations: {},
      applicationTokens: {},
      authenticationTokens: {},
    });
    expect(doc.created).toBeGreaterThanOrEqual(before);
    expect(doc).not.toHaveProperty('email');
    expect(doc).not.toHaveProperty('mobilePhone');
    expect(doc).not.toHaveProperty('groupId');
  });

  it('defaults the login to the email, then the mobile phone', async () => {
    const email = `${unique('mail')}@example.org`;
    expect((await createOk({ email })).login).toBe(email);
    const phone = `+3247${String(Date.now()).slice(-7)}`;
    expect((await createOk({ mobilePhone: phone })).login).toBe(phone);
  });

  it('writes every writable field the way iCure stores it', async () => {
    const user = await createOk({
      id: unique('full'),
      login: unique('full'),
      roles: ['R1'],
      status: 'DISABLED',
      permissions: [{ grants: [{ type: 'ADMIN' }], revokes: [{ type: 'PATIENT_VIEW' }] }],
      properties: [
        { type: { identifier: 'lang', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'fr' } },
        { type: { identifier: 'since' }, typedValue: { type: 'DATE', dateValue: 1_600_000_000_000 } },
      ],
      autoDelegations: [{ tag: 'medicalInformation', delegateIds: ['hcp-2'] }],
      termsOfUseDate: 1_700_000_000_000,
      identifiers: [{ system: 'urn:x', value: '42', type: { code: 'ssin' } }],
      healthcarePartyId: 'hcp-1',
    });
    const doc = await stored(user.id);
    expect(doc).toMatchObject({
      status: 'DISABLED',
      roles: ['R1'],
      healthcarePartyId: 'hcp-1',
      termsOfUseDate: 1_700_000_000_000,
      permissions: [
        {
          grants: [{ java_type: 'org.taktik.icure.entities.security.AlwaysPermissionItem', type: 'ADMIN' }],
          revokes: [{ java_type: 'org.taktik.icure.entities.security.AlwaysPermissionItem', type: 'PATIENT_VIEW' }],
        },
      ],
      properties: [
        { type: { identifier: 'lang', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'fr' } },
        { type: { identifier: 'since' }, typedValue: { type: 'DATE', dateValue: 1_600_000_000_000 } },
      ],
      autoDelegations: { medicalInformation: ['hcp-2'] },
      identifier: [{ system: 'urn:x', value: '42', type: { code: 'ssin' } }],
    });
  });

  it('stores a plain password as {bcrypt} and never returns it', async () => {
    const response = await create({ login: unique('pw'), password: 'correct horse battery' });
    expect(response.data.createUser.hasPassword).toBe(true);
    const doc = await stored(response.data.createUser.id);
    expect(doc.passwordHash).toMatch(/^\{bcrypt\}\$2b\$04\$/);
    expect(await verifySecret('correct horse battery', doc.passwordHash)).toBe(true);
    expect(JSON.stringify(response)).not.toContain(doc.passwordHash.slice(8, 30));
    expect(JSON.stringify(response)).not.toContain('correct horse');
  });

  it.each([
    [{ name: 'nobody' }, 'input'],
    [{ email: 'not-an-email' }, 'input.email'],
    [{ mobilePhone: '12 34' }, 'input.mobilePhone'],
    [{ login: 'x', password: 'short' }, 'input.password'],
    [{ login: 'x', id: 'a/b' }, 'input.id'],
    [{ login: 'x', termsOfUseDate: 'yesterday' }, 'input.termsOfUseDate'],
  ])('refuses %j with BAD_USER_INPUT on %s', async (input, field) => {
    const response = await create(input);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a login or email in use by a live user, including users iCure wrote without the gateway', async () => {
    const login = unique('taken');
    const email = `${unique('taken')}@example.org`;
    await createOk({ login, email });
    expect(errorOf(await create({ login }))).toMatchObject({ code: 'ALREADY_EXISTS', field: 'input.login' });
    expect(errorOf(await create({ login: unique('other'), email }))).toMatchObject({ code: 'ALREADY_EXISTS', field: 'input.email' });

    const icureLogin = unique('icure');
    await t.admin.insert(t.db, [icureUser({ login: icureLogin, email: `${icureLogin}@example.org` })]);
    expect(errorOf(await create({ login: icureLogin }))).toMatchObject({ code: 'ALREADY_EXISTS', field: 'input.login' });
    expect(errorOf(await create({ login: unique('x'), email: `${icureLogin}@example.org` }))).toMatchObject({
      code: 'ALREADY_EXISTS',
      field: 'input.email',
    });

    const deletedLogin = unique('gone');
    await t.admin.insert(t.db, [icureUser({ login: deletedLogin, deleted: Date.now() })]);
    expect((await createOk({ login: deletedLogin })).login).toBe(deletedLogin);
  });

  it('leaves no reservation and no user behind when it fails', async () => {
    const email = `${unique('first')}@example.org`;
    await createOk({ login: unique('first'), email });
    const login = unique('orphan');
    const before = await reservations();
    expect(errorOf(await create({ login, email }))).toMatchObject({ code: 'ALREADY_EXISTS', field: 'input.email' });
    expect(await reservations()).toHaveLength(before.length);
    expect((await t.graphql(`{ userByLogin(login: "${login}") { id } }`)).data.userByLogin).toBeNull();
    expect((await createOk({ login })).login).toBe(login);
  });

  it('refuses an id that exists', async () => {
    const id = unique('same-id');
    await createOk({ id, login: unique('a') });
    expect(errorOf(await create({ id, login: unique('b') }))).toMatchObject({ code: 'ALREADY_EXISTS', field: 'input.id' });
  });

  it("creates a group's database, with the design document, on first use", async () => {
    const user = await createOk({ login: 'same-login-elsewhere' }, 'newgroup');
    const db = `${t.prefix}-newgroup-base`;
    expect((await stored(user.id, db)).login).toBe('same-login-elsewhere');
    expect((await t.admin.get(db, '_design/icure-user-gateway')).status).toBe(200);
    expect((await t.graphql(`{ userByLogin(login: "same-login-elsewhere", groupId: "newgroup") { id } }`)).data.userByLogin.id).toBe(user.id);
    expect(errorOf(await create({ login: 'x' }, 'Bad Group'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'groupId' });
  });
});

describe('modifyUser', () => {
  it('patches: absent keeps, null clears, and returns the saved user with its new rev', async () => {
    const user = await createOk({ login: unique('patch'), name: 'Before', email: `${unique('p')}@example.org`, roles: ['A'] });
    const { data, errors } = await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, name: 'After', email: null } });
    expect(errors).toBeUndefined();
    expect(data.modifyUser).toMatchObject({ name: 'After', email: null, roles: ['A'], login: user.login });
    expect(data.modifyUser.rev).toMatch(/^2-/);
    expect(await stored(user.id)).toMatchObject({ _rev: data.modifyUser.rev, name: 'After', roles: ['A'] });
    expect(await stored(user.id)).not.toHaveProperty('email');
  });

  it('is NOT_FOUND for an unknown id and CONFLICT for a stale rev, leaving the stored user intact', async () => {
    expect(errorOf(await t.graphql(MODIFY, { input: { id: 'no-such-user', rev: '1-deadbeef' } }))).toMatchObject({ code: 'NOT_FOUND', field: 'input.id' });
    const user = await createOk({ login: unique('stale'), name: 'Kept' });
    await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, name: 'Second' } });
    const stale = await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, name: 'Lost' } });
    expect(stale.status).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', field: 'input.rev' });
    expect((await stored(user.id)).name).toBe('Second');
  });

  it('cannot change groupId', async () => {
    const response = await t.graphql(MODIFY, { input: { id: 'x', rev: '1-deadbeef', groupId: 'other' } });
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
  });

  it('sets and removes the password', async () => {
    const user = await createOk({ login: unique('pw'), password: 'first password' });
    const changed = (await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, password: 'second password' } })).data.modifyUser;
    const doc = await stored(user.id);
    expect(await verifySecret('second password', doc.passwordHash)).toBe(true);
    expect(await verifySecret('first password', doc.passwordHash)).toBe(false);
    const cleared = (await t.graphql(MODIFY, { input: { id: user.id, rev: changed.rev, password: null } })).data.modifyUser;
    expect(cleared.hasPassword).toBe(false);
    expect(await stored(user.id)).not.toHaveProperty('passwordHash');
  });

  it('moves the login: the old one is free, the new one taken, and a taken one refused', async () => {
    const oldLogin = unique('old');
    const newLogin = unique('new');
    const other = await createOk({ login: unique('other') });
    const user = await createOk({ login: oldLogin });
    expect(errorOf(await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, login: other.login } }))).toMatchObject({
      code: 'ALREADY_EXISTS',
      field: 'input.login',
    });
    const moved = (await t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, login: newLogin } })).data.modifyUser;
    expect(moved.login).toBe(newLogin);
    expect(errorOf(await create({ login: newLogin }))).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect((await createOk({ login: oldLogin })).login).toBe(oldLogin);
  });

  it('lets exactly one of concurrent modifications at the same rev win', async () => {
    const user = await createOk({ login: unique('race') });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => t.graphql(MODIFY, { input: { id: user.id, rev: user.rev, name: `writer ${index}` } })));
    const winners = responses.filter((response) => !response.errors);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => errorOf(response)?.code === 'CONFLICT')).toHaveLength(9);
    expect((await stored(user.id)).name).toBe(winners[0]!.data.modifyUser.name);
  });
});

describe('modifyUserProperties', () => {
  const MERGE = `mutation($id: ID!, $properties: [PropertyInput!]!) { modifyUserProperties(userId: $id, properties: $properties) { rev properties { type { identifier type } typedValue { type stringValue integerValue } } } }`;

  it('replaces the value of a match, fills its missing type, appends the rest, removes nothing', async () => {
    const user = await createOk({
      login: unique('props'),
      properties: [
        { type: { identifier: 'a' }, typedValue: { type: 'STRING', stringValue: 'old' } },
        { type: { identifier: 'b', type: 'INTEGER' }, typedValue: { type: 'INTEGER', integerValue: 1 } },
      ],
    });
    const { data, errors } = await t.graphql(MERGE, {
      id: user.id,
      properties: [
        { type: { identifier: 'a', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'new' } },
        { type: { identifier: 'c', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'added' } },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data.modifyUserProperties.properties).toEqual([
      { type: { identifier: 'a', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'new', integerValue: null } },
      { type: { identifier: 'b', type: 'INTEGER' }, typedValue: { type: 'INTEGER', stringValue: null, integerValue: 1 } },
      { type: { identifier: 'c', type: 'STRING' }, typedValue: { type: 'STRING', stringValue: 'added', integerValue: null } },
    ]);
  });

  it('keeps every concurrent merge, retrying on CouchDB conflicts', async () => {
    const user = await createOk({ login: unique('merge') });
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        t.graphql(MERGE, { id: user.id, properties: [{ type: { identifier: `k${index}` }, typedValue: { type: 'STRING', stringValue: `${index}` } }] }),
      ),
    );
    expect(responses.map((response) => response.errors)).toEqual([undefined, undefined, undefined, undefined]);
    const identifiers = (await stored(user.id)).properties.map((property: any) => property.type.identifier).sort();
    expect(identifiers).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('is NOT_FOUND for an unknown user', async () => {
    expect(errorOf(await t.graphql(MERGE, { id: 'nobody-here', properties: [] }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('authentication tokens', () => {
  const CREATE_TOKEN = `mutation($userId: ID!, $key: String!, $validity: Int) { createAuthenticationToken(userId: $userId, key: $key, validitySeconds: $validity) { token key creationTime validity } }`;
  const VALID = `query($userId: ID!, $token: String!) { authenticationTokenValid(userId: $userId, token: $token) }`;
  const valid = async (userId: string, token: string) => (await t.graphql(VALID, { userId, token })).data.authenticationTokenValid;

  it('creates a random token once, stores only its hash, replaces the previous one under the key', async () => {
    const login = unique('tok');
    const user = await createOk({ login, email: `${login}@example.org` });
    const first = (await t.graphql(CREATE_TOKEN, { userId: user.id, key: 'app' })).data.createAuthenticationToken;
    expect(first).toMatchObject({ key: 'app', validity: 3600 });
    expect(Buffer.from(first.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const doc = await stored(user.id);
    expect(doc.authenticationTokens.app).toEqual({
      token: createHash('sha256').update(first.token).digest('hex'),
      creationTime: first.creationTime,
      validity: 3600,
    });
    expect(JSON.stringify(doc)).not.toContain(first.token);
    expect(await valid(user.id, first.token)).toBe(true);

    const byLogin = (await t.graphql(CREATE_TOKEN, { userId: login, key: 'app', validity: -1 })).data.createAuthenticationToken;
    expect(await valid(user.id, first.token)).toBe(false);
    expect(await valid(`${login}@example.org`, byLogin.token)).toBe(true);
    expect((await stored(user.id)).authenticationTokens.app.validity).toBe(-1);
    expect(await valid(user.id, 'wrong-token')).toBe(false);

    const listed = await t.graphql(`{ user(id: "${user.id}") { authenticationTokens { key validity expired } } }`);
    expect(listed.data.user.authenticationTokens).toEqual([{ key: 'app', validity: -1, expired: false }]);
    expect(JSON.stringify(listed)).not.toContain(byLogin.token);
  });

  it('treats expired tokens as invalid and verifies tokens iCure hashed', async () => {
    const salt = 'c2FsdA==';
    const expiredToken = 'expired-token-value';
    const icureToken = 'icure-token-value';
    const user = icureUser({
      login: unique('legacy'),
      authenticationTokens: {
        old: { token: createHash('sha256').update(expiredToken).digest('hex'), creationTime: Date.now() - 7_200_000, validity: 3600 },
        icure: { token: `{${salt}}${createHash('sha256').update(`${icureToken}{${salt}}`).digest('hex')}`, creationTime: Date.now() - 1000, validity: 600 },
      },
    });
    await t.admin.insert(t.db, [user]);
    expect(await valid(user._id, expiredToken)).toBe(false);
    expect(await valid(user._id, icureToken)).toBe(true);
    expect(await valid('no-such-user', icureToken)).toBe(false);
  });

  it('refuses a bad validity and an unknown user', async () => {
    const user = await createOk({ login: unique('badtok') });
    expect(errorOf(await t.graphql(CREATE_TOKEN, { userId: user.id, key: 'k', validity: 0 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'validitySeconds',
    });
    expect(errorOf(await t.graphql(CREATE_TOKEN, { userId: 'nobody-at-all', key: 'k' }))).toMatchObject({ code: 'NOT_FOUND', field: 'userId' });
  });
});

describe('deleteUser and undeleteUser', () => {
  const DELETE = `mutation($id: ID!, $rev: String) { deleteUser(userId: $id, rev: $rev) { id rev } }`;
  const UNDELETE = `mutation($id: ID!, $rev: String!) { undeleteUser(userId: $id, rev: $rev) { id rev login deletionDate } }`;

  it('soft-deletes, frees the login and email, and undeletes only while they are free', async () => {
    const login = unique('del');
    const email = `${login}@example.org`;
    const user = await createOk({ login, email });
    const stale = await t.graphql(DELETE, { id: user.id, rev: '1-deadbeef' });
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT', field: 'rev' });

    const deleted = (await t.graphql(DELETE, { id: user.id, rev: user.rev })).data.deleteUser;
    expect(deleted.id).toBe(user.id);
    expect(deleted.rev).toMatch(/^2-/);
    expect((await stored(user.id)).deleted).toBeGreaterThan(0);
    expect((await t.graphql(`{ user(id: "${user.id}") { deletionDate } userByLogin(login: "${login}") { id } }`)).data).toMatchObject({
      user: { deletionDate: expect.any(Number) },
      userByLogin: null,
    });

    const restored = (await t.graphql(UNDELETE, { id: user.id, rev: deleted.rev })).data.undeleteUser;
    expect(restored).toMatchObject({ login, deletionDate: null });
    const again = (await t.graphql(DELETE, { id: user.id })).data.deleteUser;

    const successor = await createOk({ login, email: `${unique('succ')}@example.org` });
    const refused = await t.graphql(UNDELETE, { id: user.id, rev: again.rev });
    expect(errorOf(refused)).toMatchObject({ code: 'ALREADY_EXISTS', field: 'input.login' });
    expect((await stored(user.id)).deleted).toBeGreaterThan(0);
    expect(successor.login).toBe(login);
  });

  it('is NOT_FOUND for an unknown user', async () => {
    expect(errorOf(await t.graphql(DELETE, { id: 'missing-user' }))).toMatchObject({ code: 'NOT_FOUND', field: 'userId' });
    expect(errorOf(await t.graphql(UNDELETE, { id: 'missing-user', rev: '1-deadbeef' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the current user', () => {
  it('needs an authenticated caller', async () => {
    const response = await t.graphql('{ currentUser { id } }', undefined, {});
    expect(response.status).toBe(401);
    expect(errorOf(response)?.code).toBe('UNAUTHENTICATED');
  });

  it('reads itself, checks and encodes passwords, takes a healthcare party, and finds its login in groups', async () => {
    const login = unique('me');
    const me = await createOk({ login, password: 'my own password' });
    const elsewhere = await createOk({ login }, 'othergroup');
    const headers = basic(login, 'my own password');
    const { data, errors } = await t.graphql(
      `{ currentUser { id login } right: checkPassword(password: "my own password") wrong: checkPassword(password: "not my password")
         encodePassword(password: "some password") currentUserMatches { groupId userId login } }`,
      undefined,
      headers,
    );
    expect(errors).toBeUndefined();
    expect(data.currentUser).toEqual({ id: me.id, login });
    expect(data.right).toBe(true);
    expect(data.wrong).toBe(false);
    expect(data.encodePassword).toMatch(/^\{bcrypt\}\$2b\$/);
    expect(await verifySecret('some password', data.encodePassword)).toBe(true);
    expect(data.currentUserMatches).toEqual(
      expect.arrayContaining([
        { groupId: null, userId: me.id, login },
        { groupId: 'othergroup', userId: elsewhere.id, login },
      ]),
    );

    const assigned = await t.graphql('mutation { assignHealthcarePartyToCurrentUser(healthcarePartyId: "hcp-77") { id healthcarePartyId } }', undefined, headers);
    expect(assigned.data.assignHealthcarePartyToCurrentUser).toEqual({ id: me.id, healthcarePartyId: 'hcp-77' });

    // A user stored by iCure with its salted SHA-256 checks too.
    const salt = 'aWN1cmU=';
    const legacy = icureUser({ login: unique('legacy'), passwordHash: `{${salt}}${createHash('sha256').update(`LetMeIn{${salt}}`).digest('hex')}` });
    await t.admin.insert(t.db, [legacy]);
    const check = await t.graphql('{ checkPassword(password: "LetMeIn") }', undefined, basic(legacy._id, 'LetMeIn'));
    expect(check.data.checkPassword).toBe(true);
  });
});
