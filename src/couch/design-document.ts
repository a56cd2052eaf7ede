import type { DocumentScope } from 'nano';
import { callCouch, isConflict, isNotFound } from './couch-errors.js';
import { REQUEST_RETRIES, retrying } from './retry.js';

/**
 * The gateway's own design document. iCure's `_design/User` (and its versioned
 * `_design/User_<hash>` variants) are never touched.
 */
export const DESIGN_DOCUMENT_NAME = 'icure-user-gateway';
export const DESIGN_DOCUMENT_ID = `_design/${DESIGN_DOCUMENT_NAME}`;

export interface ViewDefinition {
  map: string;
  reduce?: string;
}

/** The views of the design document, by name: the domain above defines them. */
export type DesignViews = Readonly<Record<string, ViewDefinition>>;

interface DesignDocument {
  _id: string;
  _rev?: string;
  language: 'javascript';
  views: DesignViews;
}

/** Same views, same functions: the document is versioned by its content. */
function sameViews(installed: Record<string, ViewDefinition> | undefined, views: DesignViews): boolean {
  if (!installed) return false;
  const names = Object.keys(views);
  return (
    Object.keys(installed).length === names.length && names.every((name) => installed[name]?.map === views[name]?.map && installed[name]?.reduce === views[name]?.reduce)
  );
}

export type DesignDocumentOutcome = 'unchanged' | 'created' | 'updated';

/**
 * Installs the design document when missing or different, leaving an identical one
 * alone (so CouchDB keeps its built indexes). Safe when several gateways start at
 * once: a 409 means another one wrote first, and the next attempt re-reads what it wrote.
 */
export async function installDesignDocument(db: DocumentScope<unknown>, views: DesignViews): Promise<DesignDocumentOutcome> {
  try {
    return await retrying(
      async () => {
        const installed = await readDesignDocument(db);
        if (installed && sameViews(installed.views, views)) return 'unchanged';
        const next: DesignDocument = {
          _id: DESIGN_DOCUMENT_ID,
          language: 'javascript',
          views,
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
