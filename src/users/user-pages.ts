import { views, type ViewName } from '../couch/design-document.js';
import type { StoredUser } from './stored-user.js';
import type { DatabaseUserLoaders } from './user-loaders.js';
import type { KeyedUser, UserRepository } from './user-repository.js';

/** A user's position in login order: `[login, _id]`, the pagination views' key. */
export type LoginPosition = [login: string | null, id: string];

/**
 * Where a page starts. `after`/`before` exclude the position (Relay cursors);
 * `from` includes it (iCure's `startKey`/`startDocumentId`), and may be a bare
 * `[login]`, which sorts before every user with that login.
 */
export type PageStart =
  | { kind: 'first' }
  | { kind: 'after'; position: LoginPosition }
  | { kind: 'from'; position: [login: string | null, id?: string] }
  | { kind: 'last' }
  | { kind: 'before'; position: LoginPosition };

export interface PageQuery {
  start: PageStart;
  size: number;
  skipPatients: boolean;
}

export interface UserPage {
  /** In ascending login order. */
  users: { position: LoginPosition; user: StoredUser }[];
  hasPreviousPage: boolean;
  hasNextPage: boolean;
  /** The user right after the page in login order (iCure's `nextKeyPair`), if any. */
  next: LoginPosition | null;
  /** The view the page was read from, for counting. */
  view: ViewName;
}

export function paginationView(skipPatients: boolean): ViewName {
  return skipPatients ? views.nonPatientsByLoginAndId : views.allByLoginAndId;
}

/**
 * Keyset pagination over a `[login, _id]` view: one range request of size + 2
 * rows (the cursor row and the one after the page), plus one single-row request
 * only where a page boundary cannot be told from those rows.
 */
export async function readUserPage(loaders: DatabaseUserLoaders, query: PageQuery): Promise<UserPage> {
  const { repository } = loaders;
  const view = paginationView(query.skipPatients);
  const { start, size } = query;
  const backward = start.kind === 'last' || start.kind === 'before';
  const startkey = 'position' in start ? start.position : undefined;
  const rows = await loaders.range(view, { startkey, descending: backward, limit: size + 2 });

  // An exclusive start matches at most the first row: drop it, and remember that
  // a user sits on the far side of the page.
  let cursorRow: KeyedUser | undefined;
  if ((start.kind === 'after' || start.kind === 'before') && rows[0] && samePosition(rows[0].key, start.position)) {
    cursorRow = rows.shift();
  }
  const pageRows = rows.slice(0, size);
  const beyond = rows[size];
  const users = pageRows.map((row) => ({ position: row.key as LoginPosition, user: row.user }));

  if (!backward) {
    let hasPreviousPage = false;
    if (cursorRow) hasPreviousPage = true;
    else if (startkey) hasPreviousPage = await existsBefore(repository, view, startkey);
    const next = beyond ? (beyond.key as LoginPosition) : null;
    return { users, hasPreviousPage, hasNextPage: next !== null, next, view };
  }

  users.reverse();
  let next: LoginPosition | null = null;
  if (cursorRow) next = cursorRow.key as LoginPosition;
  else if (startkey) next = await firstAtOrAfter(repository, view, startkey);
  return { users, hasPreviousPage: beyond !== undefined, hasNextPage: next !== null, next, view };
}

async function existsBefore(repository: UserRepository, view: ViewName, position: unknown[]): Promise<boolean> {
  // Descending from the position itself: its own row, if any, comes first.
  const rows = await repository.rangeKeys(view, { startkey: position, descending: true, limit: 2 });
  return rows.some((row) => !samePosition(row.key, position));
}

async function firstAtOrAfter(repository: UserRepository, view: ViewName, position: unknown[]): Promise<LoginPosition | null> {
  const [row] = await repository.rangeKeys(view, { startkey: position, descending: false, limit: 1 });
  return row ? (row.key as LoginPosition) : null;
}

function samePosition(key: unknown, position: readonly unknown[]): boolean {
  return Array.isArray(key) && key.length === position.length && key.every((part, index) => part === position[index]);
}
