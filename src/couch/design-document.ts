import type { DocumentScope } from 'nano';
import { USER_JAVA_TYPE } from '../users/stored-user.js';
import { callCouch, isConflict, isNotFound } from './couch-errors.js';
import { REQUEST_RETRIES, retrying } from './retry.js';

/**
 * The gateway's own design document. iCure's `_design/User` (and its versioned
 * `_design/User_<hash>` variants) are never touched.
 */
export const DESIGN_DOCUMENT_NAME = 'icure-user-gateway';
export const DESIGN_DOCUMENT_ID = `_design/${DESIGN_DOCUMENT_NAME}`;

/** Names of the gateway's views, as queried by the repository. */
export const views = {
  /** Live users by `['login', login]` and `['email', email]`: lookups and uniqueness checks in one view. */
  byIdentifier: 'by_identifier',
  byHealthcarePartyId: 'by_healthcare_party_id',
  /** Every user, keyed `[login, _id]` so pages resume without `startkey_docid`. */
  allByLoginAndId: 'all_by_login_and_id',
  /** The same without patient-only users (patientId and no healthcarePartyId): iCure's `skipPatients`. */
  nonPatientsByLoginAndId: 'non_patients_by_login_and_id',
  /** Live users holding a non-revoked ADMIN grant. */
  admins: 'admins',
} as const;

export type ViewName = (typeof views)[keyof typeof views];

export interface ViewDefinition {
  map: string;
  reduce?: string;
}

// Map functions run in CouchDB's JavaScript engine: plain ES5, no closures over
// this module. Like iCure's views, each skips soft-deleted users and other types.
const isLiveUser = `doc.java_type === '${USER_JAVA_TYPE}' && !doc.deleted`;
const loginKey = `[typeof doc.login === 'string' ? doc.login : null, doc._id]`;

export const viewDefinitions: Record<ViewName, ViewDefinition> = {
  [views.byIdentifier]: {
    map: `function (doc) { if (${isLiveUser}) { if (typeof doc.login === 'string') { emit(['login', doc.login], null); } if (typeof doc.email === 'string' && doc.email) { emit(['email', doc.email], null); } } }`,
  },
  [views.byHealthcarePartyId]: {
    map: `function (doc) { if (${isLiveUser} && doc.healthcarePartyId) { emit(doc.healthcarePartyId, null); } }`,
  },
  [views.allByLoginAndId]: {
    map: `function (doc) { if (${isLiveUser}) { emit(${loginKey}, null); } }`,
    reduce: '_count',
  },
  [views.admins]: {
    map: `function (doc) {
      if (!(${isLiveUser}) || !doc.permissions) { return; }
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
    map: `function (doc) { if (${isLiveUser} && !(doc.patientId && !doc.healthcarePartyId)) { emit(${loginKey}, null); } }`,
    reduce: '_count',
  },
};

interface DesignDocument {
  _id: string;
  _rev?: string;
  language: 'javascript';
  views: Record<string, ViewDefinition>;
}

/** Same views, same functions: the document is versioned by its content. */
function sameViews(installed: Record<string, ViewDefinition> | undefined): boolean {
  if (!installed) return false;
  const names = Object.keys(viewDefinitions) as ViewName[];
  return (
    Object.keys(installed).length === names.length &&
    names.every((name) => installed[name]?.map === viewDefinitions[name].map && installed[name]?.reduce === viewDefinitions[name].reduce)
  );
}

export type DesignDocumentOutcome = 'unchanged' | 'created' | 'updated';

/**
 * Installs the design document when missing or different, leaving an identical one
 * alone (so CouchDB keeps its built indexes). Safe when several gateways start at
 * once: a 409 means another one wrote first, and the next attempt re-reads what it wrote.
 */
export async function installDesignDocument(db: DocumentScope<unknown>): Promise<DesignDocumentOutcome> {
  try {
    return await retrying(
      async () => {
        const installed = await readDesignDocument(db);
        if (installed && sameViews(installed.views)) return 'unchanged';
        const next: DesignDocument = {
          _id: DESIGN_DOCUMENT_ID,
          language: 'javascript',
          views: viewDefinitions,
          ...(installed?._rev ? { _rev: installed._rev } : {}),
        };
        await callCouch(() => db.insert(next, DESIGN_DOCUMENT_ID));
        return installed ? 'updated' : 'created';
      },
      REQUEST_RETRIES,
      isConflict,
    );
  } catch (error) {
    if (!isConflict(error)) throw error;
    throw new Error(`Could not install ${DESIGN_DOCUMENT_ID} in ${db.config.db}: it kept changing under us`);
  }
}

async function readDesignDocument(db: DocumentScope<unknown>): Promise<DesignDocument | null> {
  try {
    return (await callCouch(() => db.get(DESIGN_DOCUMENT_ID))) as unknown as DesignDocument;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
