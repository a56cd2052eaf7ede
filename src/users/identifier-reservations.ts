import { identifierTaken, type GatewayError } from '../errors.js';
import type { StoredUser } from './stored-user.js';
import { isLiveUser } from './user-liveness.js';
import type { UserRepository } from './user-repository.js';
import { views } from './user-views.js';

/** The identifiers that no two live users may share. */
export type UniqueKind = 'login' | 'email';

export interface UniqueIdentifier {
  kind: UniqueKind;
  value: string;
}

/** Not a User: the gateway's own claim on a login or an email, keyed by the value itself. */
export const RESERVATION_JAVA_TYPE = 'icure-user-gateway.IdentifierReservation';

interface Reservation extends UniqueIdentifier {
  _id: string;
  _rev?: string;
  java_type: typeof RESERVATION_JAVA_TYPE;
  userId: string;
  /** Epoch ms; a young reservation holds even before its user is written. */
  reservedAt: number;
}

export function reservationId({ kind, value }: UniqueIdentifier): string {
  return `icure-user-gateway:${kind}:${value}`;
}

export interface ReservationOptions {
  /** How long a reservation holds without a user that carries its value (a write in progress, or a crash). */
  graceMs: number;
  now?: () => number;
}

/**
 * Uniqueness of logins and emails under concurrency. CouchDB has no unique
 * secondary index, so each value is claimed by creating a document whose `_id` is
 * the value: CouchDB lets exactly one concurrent creator succeed.
 *
 * A reservation holds while its user is live and carries the value, or while it is
 * younger than `graceMs`. Anything else (a crash between two writes, a changed
 * login, a deleted user) is stale and may be taken over. Order of writes: reserve
 * the new values, write the user, release the old values. A crash after the first
 * step leaves a reservation no user carries; after the second, one whose user no
 * longer carries it: both go stale, and at no moment can two users hold one value.
 * Users iCure wrote itself have no reservation: the `by_identifier` view catches them.
 */
export class IdentifierReservations {
  private readonly now: () => number;

  constructor(
    private readonly repository: UserRepository,
    private readonly options: ReservationOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Claims every identifier for `userId`, or none: on ALREADY_EXISTS (with the
   * input field at fault) what this call claimed is released.
   */
  async reserve(userId: string, wanted: (UniqueIdentifier & { field: string })[]): Promise<UniqueIdentifier[]> {
    const claimed: UniqueIdentifier[] = [];
    try {
      for (const identifier of wanted) {
        if (await this.claim(userId, identifier)) claimed.push(identifier);
        else throw alreadyExists(identifier);
      }
      if (wanted.length) {
        const holders = await this.repository.findByViewKeys(
          views.byIdentifier,
          wanted.map(({ kind, value }) => [kind, value]),
        );
        const taken = wanted.findIndex((_, index) => holders[index]?.some((user) => user._id !== userId));
        if (taken >= 0) throw alreadyExists(wanted[taken]!);
      }
      return claimed;
    } catch (error) {
      await this.release(userId, claimed).catch(() => {});
      throw error;
    }
  }

  /** Drops the reservations of `userId` on these identifiers (others' are left alone). */
  async release(userId: string, identifiers: UniqueIdentifier[]): Promise<void> {
    for (const identifier of identifiers) {
      const reservation = await this.repository.getDocument<Reservation>(reservationId(identifier));
      if (reservation?._rev && reservation.userId === userId) {
        await this.repository.deleteDocument(reservation._id, reservation._rev);
      }
    }
  }

  /** True when `userId` holds the identifier, now or already. */
  private async claim(userId: string, identifier: UniqueIdentifier): Promise<boolean> {
    const fresh: Reservation = {
      _id: reservationId(identifier),
      java_type: RESERVATION_JAVA_TYPE,
      kind: identifier.kind,
      value: identifier.value,
      userId,
      reservedAt: this.now(),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.repository.putDocument(fresh)) return true;
      const existing = await this.repository.getDocument<Reservation>(fresh._id);
      if (!existing) continue; // released meanwhile: try creating it again
      if (existing.userId === userId) return true;
      if (await this.holds(existing)) return false;
      if (await this.repository.putDocument({ ...fresh, _rev: existing._rev })) return true;
    }
    return false;
  }

  private async holds(reservation: Reservation): Promise<boolean> {
    if (reservation.reservedAt > this.now() - this.options.graceMs) return true;
    const [user] = await this.repository.getByIds([reservation.userId]);
    return carries(user ?? null, reservation);
  }
}

function carries(user: StoredUser | null, { kind, value }: UniqueIdentifier): boolean {
  return isLiveUser(user) && user[kind] === value;
}

function alreadyExists(identifier: UniqueIdentifier & { field?: string }): GatewayError {
  return identifierTaken(identifier.kind, identifier.value, identifier.field ?? identifier.kind);
}
