import type { ChangeRow } from '../couch/change-feed.js';
import { isStoredUser, type StoredUser } from './stored-user.js';

/** What a change did to a user, as subscribers are told. */
export type UserChangeKind = 'CREATED' | 'UPDATED' | 'DELETED' | 'UNDELETED';

/** What was known of a document before a change: its revision, and the user it was (null: not a user, or gone). */
export interface KnownState {
  rev: string;
  user: StoredUser | null;
}

/** A change of one user, derived from a feed row and the state known before it. */
export interface UserChange {
  kind: UserChangeKind;
  userId: string;
  /** The document's revision after the change (a hard delete's too). */
  rev: string;
  /** The user as the change left it; null when its document is gone (a hard delete). */
  user: StoredUser | null;
  /** The healthcare parties the user is linked to now or was before: their subscribers hear of it. */
  healthcarePartyIds: readonly string[];
  /** False for a hard delete of a document nothing said was a user: only those who name its id are told. */
  knownUser: boolean;
}

/** The user a feed row leaves: its document, unless deleted outright or not a user. */
export function userOfRow(row: ChangeRow): StoredUser | null {
  return !row.deleted && isStoredUser(row.doc) ? row.doc : null;
}

/**
 * The change a feed row makes, or null when it makes none a subscriber should hear of
 * (a replay of a known revision, a document of another type).
 *
 * With the previous state known: no user before → CREATED; a live user soft-deleted
 * (iCure's `deleted` date set) → DELETED; a soft-deleted one restored → UNDELETED; a
 * hard delete (`_deleted`) → DELETED; anything else → UPDATED. Without it (the
 * instance never saw the document): a first revision is CREATED, a soft-deleted user
 * DELETED, the rest UPDATED, so an undelete reads as UPDATED.
 */
export function userChangeOf(row: ChangeRow, previous: KnownState | undefined): UserChange | null {
  if (previous?.rev === row.rev) return null;
  const before = previous?.user ?? null;
  const user = userOfRow(row);
  const change = { userId: row.id, rev: row.rev, user };
  if (!user) {
    // A deletion stub may keep its body (a PUT with `_deleted`), and with it its type.
    const was = before ?? (isStoredUser(row.doc) ? row.doc : null);
    if (was) return { ...change, kind: 'DELETED', healthcarePartyIds: healthcarePartiesOf(was), knownUser: true };
    if (!row.deleted || previous) return null;
    return { ...change, kind: 'DELETED', healthcarePartyIds: [], knownUser: false };
  }
  return { ...change, kind: kindOf(user, previous), healthcarePartyIds: healthcarePartiesOf(user, before), knownUser: true };
}

function kindOf(user: StoredUser, previous: KnownState | undefined): UserChangeKind {
  if (!previous) return generation(user._rev) === 1 ? 'CREATED' : user.deleted ? 'DELETED' : 'UPDATED';
  if (!previous.user) return 'CREATED';
  if (user.deleted && !previous.user.deleted) return 'DELETED';
  if (!user.deleted && previous.user.deleted) return 'UNDELETED';
  return 'UPDATED';
}

function healthcarePartiesOf(...users: (StoredUser | null)[]): string[] {
  const ids = users.map((user) => user?.healthcarePartyId).filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)];
}

/** The `N` of a CouchDB revision `N-hash`. */
function generation(rev: string): number {
  return Number.parseInt(rev, 10);
}
