import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { StoredUser } from '../../src/users/stored-user.js';
import { carriesIdentifier, identifierLookup } from '../../src/users/user-identifiers.js';
import { isActiveUser, isLiveUser } from '../../src/users/user-liveness.js';
import { isAdmin } from '../../src/users/user-permissions.js';
import { linkViews, userViews, views } from '../../src/users/user-views.js';
import { icureUser } from '../support/user-documents.js';

// The views restate the domain's rules in CouchDB's JavaScript (see user-views.ts).
// Each map function runs here, in a V8 context of its own as in CouchDB, over the
// same documents as the rule it restates: they must agree on every one.

type Row = [key: unknown, value: unknown];

/** A view's map function, compiled as CouchDB does, returning the rows it emits for a document. */
function mapFunction(name: string): (doc: unknown) => Row[] {
  const source = userViews[name]?.map;
  if (!source) throw new Error(`no view ${name}`);
  let rows: Row[] = [];
  const context = vm.createContext({ emit: (key: unknown, value: unknown) => rows.push([key, value]) });
  const map = vm.runInContext(`(${source})`, context) as (doc: unknown) => void;
  return (doc) => {
    rows = [];
    // As CouchDB hands it over: JSON, in the map function's own realm.
    map(vm.runInContext(`(${JSON.stringify(doc)})`, context));
    return JSON.parse(JSON.stringify(rows)) as Row[];
  };
}

const admin = [{ grants: [{ type: 'ADMIN' }] }];
const documents: Record<string, unknown> = {
  'live, ACTIVE, login and email': icureUser({ _id: 'u1', login: 'jane', email: 'jane@example.org' }),
  'no status (ACTIVE)': icureUser({ _id: 'u2', login: 'nostatus', status: undefined }),
  DISABLED: icureUser({ _id: 'u3', login: 'disabled', email: 'disabled@example.org', status: 'DISABLED' }),
  REGISTERING: icureUser({ _id: 'u4', login: 'registering', status: 'REGISTERING' }),
  'soft-deleted': icureUser({ _id: 'u5', login: 'gone', email: 'gone@example.org', deleted: 1_700_000_000_000, permissions: admin }),
  'deleted null (live)': icureUser({ _id: 'u6', login: 'back', deleted: null }),
  'blank email': icureUser({ _id: 'u7', login: 'blank', email: '' }),
  'no login': icureUser({ _id: 'u8', login: undefined, email: 'nologin@example.org' }),
  'login with spaces': icureUser({ _id: 'u9', login: ' spaced ' }),
  admin: icureUser({ _id: 'u10', login: 'boss', permissions: admin }),
  'admin revoked': icureUser({ _id: 'u11', login: 'exboss', permissions: [{ grants: [{ type: 'ADMIN' }] }, { revokes: [{ type: 'ADMIN' }] }] }),
  'other grants': icureUser({ _id: 'u12', login: 'hcp', permissions: [{ grants: [{ type: 'HCP' }] }], healthcarePartyId: 'hcp-1' }),
  'patient only': icureUser({ _id: 'u13', login: 'patient', patientId: 'p-1' }),
  'patient and healthcare party': icureUser({ _id: 'u14', login: 'both', patientId: 'p-2', healthcarePartyId: 'hcp-2' }),
  'healthcare party, deleted': icureUser({ _id: 'u15', login: 'oldhcp', healthcarePartyId: 'hcp-1', deleted: 1 }),
  'another type with a login': {
    _id: 'hcp-1',
    java_type: 'org.taktik.icure.entities.HealthcareParty',
    login: 'jane',
    email: 'jane@example.org',
    healthcarePartyId: 'x',
    permissions: admin,
  },
  'a reservation': { _id: 'icure-user-gateway:login:jane', java_type: 'icure-user-gateway.IdentifierReservation', kind: 'login', value: 'jane', userId: 'u1' },
  'no type': { _id: 'x1', login: 'x' },
};
const cases = Object.entries(documents);
const loginOf = (doc: unknown) => {
  const login = (doc as StoredUser).login;
  return typeof login === 'string' ? login : null;
};

describe('the design document', () => {
  it('is tested here view by view', () => {
    const tested = [views.byIdentifier, views.allByLoginAndId, views.nonPatientsByLoginAndId, views.admins, ...Object.values(linkViews)];
    expect(Object.keys(userViews).sort()).toEqual(tested.sort());
  });
});

describe.each(cases)('%s', (_name, doc) => {
  it('is listed (all_by_login_and_id) exactly when the domain calls it a live user', () => {
    const rows = mapFunction(views.allByLoginAndId)(doc);
    expect(rows).toEqual(isLiveUser(doc) ? [[[loginOf(doc), (doc as StoredUser)._id], null]] : []);
  });

  it('is listed without patients unless it is a patient-only user', () => {
    const user = doc as StoredUser;
    const listed = isLiveUser(doc) && !(user.patientId && !user.healthcarePartyId);
    expect(mapFunction(views.nonPatientsByLoginAndId)(doc)).toEqual(listed ? [[[loginOf(doc), user._id], null]] : []);
  });

  it('is found by login or email (by_identifier) exactly for the identifiers that designate it', () => {
    const user = doc as StoredUser;
    const rows = mapFunction(views.byIdentifier)(doc).map(([key]) => JSON.stringify(key));
    const probes = [user.login, user.email, user._id, ` ${user.login} `, user.email?.toUpperCase(), 'jane', 'jane@example.org'];
    for (const probe of probes.filter((value): value is string => typeof value === 'string' && value.trim() !== '')) {
      const lookup = identifierLookup(probe);
      const found = rows.includes(JSON.stringify(['login', lookup.login])) || rows.includes(JSON.stringify(['email', lookup.email]));
      // The view holds logins and emails; ids are read with _all_docs.
      const designated = isLiveUser(doc) && carriesIdentifier({ ...user, _id: '' }, probe);
      expect(found, probe).toBe(designated);
    }
  });

  it('is an admin (admins) exactly when it is live and holds a non-revoked ADMIN grant', () => {
    const expected = isLiveUser(doc) && isAdmin(doc as StoredUser);
    expect(mapFunction(views.admins)(doc)).toEqual(expected ? [[(doc as StoredUser)._id, null]] : []);
  });

  it.each(Object.entries(linkViews))('is listed under its %s (%s) exactly when it is live and has one', (field, view) => {
    const value = (doc as Record<string, unknown>)[field];
    expect(mapFunction(view)(doc)).toEqual(isLiveUser(doc) && value ? [[value, null]] : []);
  });
});

describe('live and ACTIVE', () => {
  it('a live user is a User document not soft-deleted', () => {
    const live = cases.filter(([, doc]) => isLiveUser(doc)).map(([name]) => name);
    expect(live.sort()).toEqual(
      [
        'live, ACTIVE, login and email',
        'no status (ACTIVE)',
        'DISABLED',
        'REGISTERING',
        'deleted null (live)',
        'blank email',
        'no login',
        'login with spaces',
        'admin',
        'admin revoked',
        'other grants',
        'patient only',
        'patient and healthcare party',
      ].sort(),
    );
  });

  it('only a live user with status ACTIVE, or none, may authenticate', () => {
    for (const [name, doc] of cases) {
      const status = (doc as StoredUser).status;
      expect(isActiveUser(doc), name).toBe(isLiveUser(doc) && (status === 'ACTIVE' || status == null));
    }
    expect(isActiveUser(null)).toBe(false);
  });
});
