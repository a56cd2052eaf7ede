import type { DesignViews, ViewDefinition } from '../couch/design-document.js';
import { LIVE_USER_CONDITION } from './user-liveness.js';

/**
 * Fields linking a user to another entity, each with a view of the live users by
 * its value: a list query by such a link needs only an entry here.
 */
export const linkViews = {
  healthcarePartyId: 'by_healthcare_party_id',
} as const;

export type LinkField = keyof typeof linkViews;

/** Names of the gateway's views, as queried by the repository. */
export const views = {
  /** Live users by `['login', login]` and `['email', email]`: lookups and uniqueness checks in one view. */
  byIdentifier: 'by_identifier',
  ...linkViews,
  /** Every user, keyed `[login, _id]` so pages resume without `startkey_docid`. */
  allByLoginAndId: 'all_by_login_and_id',
  /** The same without patient-only users (patientId and no healthcarePartyId): iCure's `skipPatients`. */
  nonPatientsByLoginAndId: 'non_patients_by_login_and_id',
  /** Live users holding a non-revoked ADMIN grant (see user-permissions.ts). */
  admins: 'admins',
} as const;

export type ViewName = (typeof views)[keyof typeof views];

// Map functions run in CouchDB's JavaScript engine: plain ES5, no closures over
// this module. Like iCure's views, each skips soft-deleted users and other types;
// test/unit/user-views.test.ts runs them against the rules they restate.
const loginKey = `[typeof doc.login === 'string' ? doc.login : null, doc._id]`;

const linkViewDefinitions = Object.fromEntries(
  Object.entries(linkViews).map(([field, view]): [string, ViewDefinition] => [
    view,
    { map: `function (doc) { if (${LIVE_USER_CONDITION} && doc.${field}) { emit(doc.${field}, null); } }` },
  ]),
);

/** The gateway's design document, as couch/ installs it in every user database. */
export const userViews: DesignViews = {
  [views.byIdentifier]: {
    map: `function (doc) { if (${LIVE_USER_CONDITION}) { if (typeof doc.login === 'string') { emit(['login', doc.login], null); } if (typeof doc.email === 'string' && doc.email) { emit(['email', doc.email], null); } } }`,
  },
  ...linkViewDefinitions,
  [views.allByLoginAndId]: {
    map: `function (doc) { if (${LIVE_USER_CONDITION}) { emit(${loginKey}, null); } }`,
    reduce: '_count',
  },
  [views.admins]: {
    map: `function (doc) {
      if (!(${LIVE_USER_CONDITION}) || !doc.permissions) { return; }
      var granted = false, revoked = false;
      for (var i = 0; i < doc.permissions.length; i++) {
        var grants = doc.permissions[i].grants || [], revokes = doc.permissions[i].revokes || [];
        for (var g = 0; g < grants.length; g++) { if (grants[g].type === 'ADMIN') { granted = true; } }
        for (var r = 0; r < revokes.length; r++) { if (revokes[r].type === 'ADMIN') { revoked = true; } }
      }
      if (granted && !revoked) { emit(doc._id, null); }
    }`,
  },
  [views.nonPatientsByLoginAndId]: {
    map: `function (doc) { if (${LIVE_USER_CONDITION} && !(doc.patientId && !doc.healthcarePartyId)) { emit(${loginKey}, null); } }`,
    reduce: '_count',
  },
};
