import { identifierTaken, type GatewayError } from '../errors.js';
import { REQUEST_RETRIES, retrying } from '../couch/retry.js';
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

  /**
   * Claims the identifiers of many new users at once (bulk writes: seeding, imports),
   * each user all or none, with the same rules as `reserve`: returns the ids of the
   * users that got all theirs; the claims of the others are released. Three requests
   * when nothing is taken; a stale reservation is taken over as `reserve` would.
   */
  async reserveMany(users: readonly { userId: string; identifiers: UniqueIdentifier[] }[]): Promise<Set<string>> {
    const wanted = users.flatMap(({ userId, identifiers }) => identifiers.map((identifier) => ({ userId, identifier })));
    const refused = new Set(
      (await this.repository.insertMany(wanted.map(({ userId, identifier }) => this.reservation(userId, identifier))))
        .filter(({ conflict }) => conflict)
        .map(({ id }) => id),
    );
    const claimed = wanted.filter(({ identifier }) => !refused.has(reservationId(identifier)));
    const lost = new Set<string>();
    // Refused: held by another user, or stale (then claimed one by one, as `reserve` does).
    const contested = wanted.filter(({ identifier }) => refused.has(reservationId(identifier)));
    const existing = await this.repository.getDocuments<Reservation>(contested.map(({ identifier }) => reservationId(identifier)));
    const held = await this.held(existing.flatMap((reservation) => (reservation ? [reservation] : [])));
    for (const [index, claim] of contested.entries()) {
      const reservation = existing[index];
      if (reservation?.userId === claim.userId) continue;
      if (!(reservation && held.get(reservation)) && (await this.claim(claim.userId, claim.identifier))) claimed.push(claim);
      else lost.add(claim.userId);
    }
    // Users iCure wrote have no reservation: the view has them.
    const candidates = wanted.filter(({ userId }) => !lost.has(userId));
    const holders = candidates.length
      ? await this.repository.findByViewKeys(
          views.byIdentifier,
          candidates.map(({ identifier }) => [identifier.kind, identifier.value]),
        )
      : [];
    for (const [index, { userId }] of candidates.entries()) {
      if (holders[index]?.some((user) => user._id !== userId)) lost.add(userId);
    }
    for (const userId of lost) {
      const theirs = claimed.filter((claim) => claim.userId === userId).map(({ identifier }) => identifier);
      if (theirs.length) await this.release(userId, theirs).catch(() => {});
    }
    return new Set(users.map(({ userId }) => userId).filter((userId) => !lost.has(userId)));
  }

  /** True when `userId` holds the identifier, now or already. */
  private async claim(userId: string, identifier: UniqueIdentifier): Promise<boolean> {
    const fresh = this.reservation(userId, identifier);
    try {
      return await retrying(
        async () => {
          if (await this.repository.putDocument(fresh)) return true;
          const existing = await this.repository.getDocument<Reservation>(fresh._id);
          if (!existing) throw new Contended(); // released meanwhile: try creating it again
          if (existing.userId === userId) return true;
          if ((await this.held([existing])).get(existing)) return false;
          if (await this.repository.putDocument({ ...fresh, _rev: existing._rev })) return true;
          throw new Contended();
        },
        REQUEST_RETRIES,
        (error) => error instanceof Contended,
      );
    } catch (error) {
      if (error instanceof Contended) return false;
      throw error;
    }
  }

  private reservation(userId: string, identifier: UniqueIdentifier): Reservation {
    return {
      _id: reservationId(identifier),
      java_type: RESERVATION_JAVA_TYPE,
      kind: identifier.kind,
      value: identifier.value,
      userId,
      reservedAt: this.now(),
    };
  }

  /** Which reservations hold: young ones, and those whose user carries the value (one read for all). */
  private async held(reservations: Reservation[]): Promise<Map<Reservation, boolean>> {
    const old = reservations.filter(({ reservedAt }) => reservedAt <= this.now() - this.options.graceMs);
    const users = await this.repository.getByIds(old.map(({ userId }) => userId));
    const holders = new Map(old.map((reservation, index) => [reservation, carries(users[index] ?? null, reservation)]));
    return new Map(reservations.map((reservation) => [reservation, holders.get(reservation) ?? true]));
  }
}

/** Another writer changed the reservation between our read and our write. */
class Contended extends Error {}

function carries(user: StoredUser | null, { kind, value }: UniqueIdentifier): boolean {
  return isLiveUser(user) && user[kind] === value;
}

function alreadyExists(identifier: UniqueIdentifier & { field?: string }): GatewayError {
  return identifierTaken(identifier.kind, identifier.value, identifier.field ?? identifier.kind);
}
