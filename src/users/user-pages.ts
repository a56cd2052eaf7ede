import { badUserInput } from '../errors.js';
import type { StoredUser } from './stored-user.js';
import { decodeCursor, type LoginPosition } from './user-cursor.js';
import type { KeyedId, KeyedUser, UserRepository, ViewRangeQuery } from './user-repository.js';
import { views, type ViewName } from './user-views.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

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

/** A list's paging arguments: Relay's and iCure's `startKey`/`startDocumentId`. */
export interface PagingArguments {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  startKey?: string | null;
  startDocumentId?: string | null;
}

/**
 * Where the page starts and its size. Which arguments go together: `first` with
 * `after` or `startKey`/`startDocumentId`, `last` with `before`; any other mix, or
 * a cursor that is not one of ours, is BAD_USER_INPUT naming the argument.
 */
export function pageStart(args: PagingArguments): { start: PageStart; size: number } {
  const iCureStart = args.startKey != null || args.startDocumentId != null;
  if (args.first != null && args.last != null) throw badUserInput([{ field: 'last', message: 'cannot be combined with first' }]);
  if (args.before != null && (args.after != null || iCureStart || args.first != null)) {
    throw badUserInput([{ field: 'before', message: 'goes with last only' }]);
  }
  if (args.after != null && iCureStart) {
    throw badUserInput([{ field: 'after', message: 'cannot be combined with startKey/startDocumentId' }]);
  }
  if (args.last != null && (args.after != null || iCureStart)) {
    throw badUserInput([{ field: 'last', message: 'goes with before only' }]);
  }
  if (args.last != null || args.before != null) {
    const size = args.last ?? DEFAULT_PAGE_SIZE;
    return args.before != null ? { start: { kind: 'before', position: cursorPosition('before', args.before) }, size } : { start: { kind: 'last' }, size };
  }
  const size = args.first ?? DEFAULT_PAGE_SIZE;
  if (args.after != null) return { start: { kind: 'after', position: cursorPosition('after', args.after) }, size };
  if (iCureStart) {
    const position: [string | null, string?] = args.startDocumentId != null ? [args.startKey ?? null, args.startDocumentId] : [args.startKey ?? null];
    return { start: { kind: 'from', position }, size };
  }
  return { start: { kind: 'first' }, size };
}

function cursorPosition(field: 'after' | 'before', cursor: string): LoginPosition {
  const position = decodeCursor(cursor);
  if (!position) throw badUserInput([{ field, message: 'not a cursor of this API' }]);
  return position;
}

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

/** What page reading needs of the repository or the loaders: ranges of a `[login, _id]` view. */
export interface ViewRanges {
  range: UserRepository['range'];
  rangeKeys(view: ViewName, query: ViewRangeQuery): Promise<readonly KeyedId[]>;
}

export function paginationView(skipPatients: boolean): ViewName {
  return skipPatients ? views.nonPatientsByLoginAndId : views.allByLoginAndId;
}

/**
 * Keyset pagination over a `[login, _id]` view: one range request of size + 2
 * rows (the cursor row and the one after the page), plus one single-row request
 * only where a page boundary cannot be told from those rows.
 */
export async function readUserPage(repository: ViewRanges, query: PageQuery): Promise<UserPage> {
  const view = paginationView(query.skipPatients);
  const { start, size } = query;
  const backward = start.kind === 'last' || start.kind === 'before';
  const startkey = 'position' in start ? start.position : undefined;
  const rows = await repository.range(view, { startkey, descending: backward, limit: size + 2 });

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

async function existsBefore(repository: ViewRanges, view: ViewName, position: unknown[]): Promise<boolean> {
  // Descending from the position itself: its own row, if any, comes first.
  const rows = await repository.rangeKeys(view, { startkey: position, descending: true, limit: 2 });
  return rows.some((row) => !samePosition(row.key, position));
}

async function firstAtOrAfter(repository: ViewRanges, view: ViewName, position: unknown[]): Promise<LoginPosition | null> {
  const [row] = await repository.rangeKeys(view, { startkey: position, descending: false, limit: 1 });
  return row ? (row.key as LoginPosition) : null;
}

function samePosition(key: unknown, position: readonly unknown[]): boolean {
  return Array.isArray(key) && key.length === position.length && key.every((part, index) => part === position[index]);
}
