import { randomBytes, randomUUID } from 'node:crypto';
import { documentIdTaken, hasErrorCode, missingContactIdentifier, staleRevision, userNotFound } from '../errors.js';
import { REQUEST_RETRIES, retrying } from '../couch/retry.js';
import { isTokenLive } from './authentication-tokens.js';
import { IdentifierReservations, type UniqueIdentifier, type UniqueKind } from './identifier-reservations.js';
import { encodePassword, sha256Hex, verifySecret } from './passwords.js';
import { USER_JAVA_TYPE, type StoredUser } from './stored-user.js';
import { isLiveUser } from './user-liveness.js';
import type { DatabaseUserLoaders } from './user-loaders.js';
import { applyUserPatch, mergeProperties, type PropertyPatch, type UserPatch } from './user-patch.js';
import type { UserRepository } from './user-repository.js';

export interface UserWriteOptions {
  bcryptRounds: number;
  /** See `IdentifierReservations`. */
  reservationGraceMs: number;
  now?: () => number;
}

export interface CreatedToken {
  token: string;
  key: string;
  creationTime: number;
  validity: number;
}

/**
 * Every write to users of one database, with iCure's rules (kraken-common
 * `UserLogicImpl`) and the gateway's own uniqueness reservations. A refusal is a
 * GatewayError naming the input field at fault; a failed write leaves what was
 * stored before.
 */
export class UserWrites {
  private readonly repository: UserRepository;
  private readonly reservations: IdentifierReservations;
  private readonly now: () => number;

  constructor(
    private readonly loaders: DatabaseUserLoaders,
    private readonly options: UserWriteOptions,
  ) {
    this.repository = loaders.repository;
    this.now = options.now ?? Date.now;
    this.reservations = new IdentifierReservations(this.repository, { graceMs: options.reservationGraceMs, now: this.now });
  }

  /**
   * Writes complete new user documents in bulk (seeding, imports) with the uniqueness
   * of `create`: a user whose login or email is taken is not written. Returns the
   * ids of those skipped, and of those CouchDB refused, with its reason.
   */
  async insertNew(users: readonly Omit<StoredUser, '_rev'>[]): Promise<{ taken: string[]; refused: { id: string; error: string }[] }> {
    // Deleted users hold no login or email.
    const identifiersOf = (user: Omit<StoredUser, '_rev'>) => (user.deleted ? [] : uniqueIdentifiers(user));
    const reserved = await this.reservations.reserveMany(users.map((user) => ({ userId: user._id, identifiers: identifiersOf(user) })));
    const refused = await this.repository.insertMany(users.filter((user) => reserved.has(user._id)));
    const byId = new Map(users.map((user) => [user._id, user]));
    for (const { id } of refused) {
      const user = byId.get(id);
      if (user) await this.reservations.release(id, identifiersOf(user)).catch(() => {});
    }
    return {
      taken: users.filter((user) => !reserved.has(user._id)).map((user) => user._id),
      refused: refused.map(({ id, error }) => ({ id, error })),
    };
  }

  async create(input: UserPatch & { id?: string | null }): Promise<StoredUser> {
    const id = input.id ?? randomUUID();
    const template: Omit<StoredUser, '_rev'> = {
      _id: id,
      java_type: USER_JAVA_TYPE,
      created: this.now(),
      identifier: [],
      properties: [],
      roles: [],
      permissions: [],
      autoDelegations: {},
      applicationTokens: {},
      authenticationTokens: {},
    };
    const user = applyUserPatch(template, input);
    requireContactIdentifier(user);
    // Claims first: a refused request costs no bcrypt work.
    const claimed = await this.reservations.reserve(id, uniqueIdentifiers(user));
    return this.releasingOnFailure(id, claimed, async () => {
      const complete = await this.withPassword(user, input.password);
      const rev = await this.repository.putDocument(complete);
      if (!rev) throw documentIdTaken(id, 'input.id');
      return this.saved({ ...complete, _rev: rev });
    });
  }

  /** A patch of the stored user at revision `rev`; changed logins and emails move their reservations. */
  async modify(input: UserPatch & { id: string; rev: string }): Promise<StoredUser> {
    const current = await this.current(input.id, 'input.id');
    if (current._rev !== input.rev) throw staleRevision('input.rev');
    const next = applyUserPatch(current, input);
    requireContactIdentifier(next);
    // Deleted users hold no login or email: theirs are claimed again on undelete.
    const changed = current.deleted ? [] : uniqueIdentifiers(next).filter(({ kind, value }) => current[kind] !== value);
    const released = current.deleted ? [] : uniqueIdentifiers(current).filter(({ kind, value }) => next[kind] !== value);
    const claimed = await this.reservations.reserve(current._id, changed);
    const saved = await this.releasingOnFailure(current._id, claimed, async () => this.save(await this.withPassword(next, input.password), 'input.rev'));
    await this.reservations.release(current._id, released).catch(() => {});
    return saved;
  }

  async modifyProperties(userId: string, properties: PropertyPatch[]): Promise<StoredUser> {
    return this.retryingMerge(userId, 'userId', (user) => ({ ...user, properties: mergeProperties(user.properties ?? [], properties) }));
  }

  /** A new password, whatever the revision (a password reset). */
  async setPassword(userId: string, password: string): Promise<StoredUser> {
    const passwordHash = await encodePassword(password, this.options.bcryptRounds);
    return this.retryingMerge(userId, 'email', (user) => ({ ...user, passwordHash }));
  }

  async assignHealthcareParty(userId: string, healthcarePartyId: string): Promise<StoredUser> {
    return this.retryingMerge(userId, 'healthcarePartyId', (user) => ({ ...user, healthcarePartyId }));
  }

  /** Soft delete (iCure's `deleted` = now), freeing the login and email. */
  async delete(userId: string, rev: string | null | undefined): Promise<{ id: string; rev: string }> {
    const current = await this.current(userId, 'userId');
    if (rev != null && current._rev !== rev) throw staleRevision('rev');
    if (current.deleted) return { id: current._id, rev: current._rev };
    const saved = await this.save({ ...current, deleted: this.now() }, 'rev');
    await this.reservations.release(current._id, uniqueIdentifiers(current)).catch(() => {});
    return { id: saved._id, rev: saved._rev };
  }

  /** Clears the soft delete when the login and email are still free. */
  async undelete(userId: string, rev: string): Promise<StoredUser> {
    const current = await this.current(userId, 'userId');
    if (current._rev !== rev) throw staleRevision('rev');
    if (!current.deleted) return current;
    const claimed = await this.reservations.reserve(current._id, uniqueIdentifiers(current));
    const { deleted: _deleted, ...restored } = current;
    return this.releasingOnFailure(current._id, claimed, () => this.save(restored, 'rev'));
  }

  /** A new random token under `key` (replacing the previous one); only its SHA-256 is stored. */
  async createAuthenticationToken(identifier: string, key: string, validity: number): Promise<CreatedToken> {
    const user = await this.resolve(identifier);
    // 256 random bits: a fast hash is safe for a secret this long.
    const token = randomBytes(32).toString('base64url');
    const creationTime = this.now();
    await this.retryingMerge(user._id, 'userId', (latest) => ({
      ...latest,
      authenticationTokens: { ...latest.authenticationTokens, [key]: { token: sha256Hex(token), creationTime, validity } },
    }));
    return { token, key, creationTime, validity };
  }

  /** Whether `token` is a live token of the user with this id, login or email. */
  async isAuthenticationTokenValid(identifier: string, token: string): Promise<boolean> {
    const user = await this.resolveOrNull(identifier);
    if (!isLiveUser(user)) return false;
    const now = this.now();
    for (const stored of Object.values(user.authenticationTokens ?? {})) {
      if (stored && isTokenLive(stored, now) && (await verifySecret(token, stored.token))) return true;
    }
    return false;
  }

  private async resolveOrNull(identifier: string): Promise<StoredUser | null> {
    return this.loaders.byAnyIdentifier(identifier);
  }

  private async resolve(identifier: string): Promise<StoredUser> {
    const user = await this.resolveOrNull(identifier);
    if (!user) throw userNotFound('userId', identifier);
    return user;
  }

  /** Runs the write that follows a claim; if it fails, the claim is dropped (best effort: a leftover goes stale). */
  private async releasingOnFailure<T>(userId: string, claimed: UniqueIdentifier[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      await this.reservations.release(userId, claimed).catch(() => {});
      throw error;
    }
  }

  /**
   * Read-modify-write that cannot lose a concurrent change: on 409 it re-reads and
   * reapplies (a few times, then CONFLICT).
   */
  private retryingMerge(userId: string, field: string, change: (user: StoredUser) => StoredUser): Promise<StoredUser> {
    return retrying(
      async () => this.save(change(await this.current(userId, field)), field),
      REQUEST_RETRIES,
      (error) => hasErrorCode(error, 'CONFLICT'),
    );
  }

  private async current(userId: string, field: string): Promise<StoredUser> {
    const user = await this.repository.getDocument<StoredUser>(userId);
    if (!user || user.java_type !== USER_JAVA_TYPE) throw userNotFound(field, userId);
    return user;
  }

  /** Writes at the user's `_rev`; a stale one is CONFLICT, never an overwrite. */
  private async save(user: StoredUser, revField: string): Promise<StoredUser> {
    const rev = await this.repository.putDocument(user);
    if (!rev) throw staleRevision(revField);
    return this.saved({ ...user, _rev: rev });
  }

  /** Later reads of this request see the saved user. */
  private saved(user: StoredUser): StoredUser {
    this.loaders.remember(user);
    return user;
  }

  /** `password` set: a new `{bcrypt}` hash; explicit null: no password (iCure's rule); absent: unchanged. */
  private async withPassword<T extends { passwordHash?: string | null }>(user: T, password: string | null | undefined): Promise<T> {
    if (password === undefined) return user;
    if (password === null) {
      const { passwordHash: _removed, ...rest } = user;
      return rest as T;
    }
    return { ...user, passwordHash: await encodePassword(password, this.options.bcryptRounds) };
  }
}

function uniqueIdentifiers(user: Pick<StoredUser, UniqueKind>): (UniqueIdentifier & { field: string })[] {
  return (['login', 'email'] as const).flatMap((kind) => {
    const value = user[kind];
    return value ? [{ kind, value, field: `input.${kind}` }] : [];
  });
}

/** iCure refuses a user with none of login, email and mobile phone. */
function requireContactIdentifier(user: Pick<StoredUser, 'login' | 'email' | 'mobilePhone'>): void {
  if (!user.login && !user.email && !user.mobilePhone) {
    throw missingContactIdentifier();
  }
}
