import type { ChangeRow } from '../couch/change-feed.js';
import type { UserDatabases } from '../couch/databases.js';
import { shuttingDown, staleCursor, tooManySubscriptions } from '../errors.js';
import { userChangeOf, userOfRow, type KnownState } from './user-change.js';
import { UserEventLog, type UserEvent } from './user-event-log.js';
import { UserEventStream, type SubscriberAccess, type UserEventFilter } from './user-event-stream.js';

export interface UserEventsOptions {
  /** Open subscriptions on this instance, at most. */
  maxSubscriptions: number;
  /** Open subscriptions of one caller on this instance, at most. */
  perCaller: number;
  /** Events kept per database for resuming. */
  window: number;
  /** Live events queued for one subscriber before it counts as too slow. */
  queueMax: number;
}

export interface SubscriptionRequest {
  /** The database whose users it follows. */
  database: string;
  filter: UserEventFilter;
  /** The caller's own document (in its group's database): its changes re-check the caller's access. */
  caller: { groupId: string | null; userId: string };
  access: SubscriberAccess;
  /** The cursor to resume after; null for live events only. */
  after: string | null;
}

/**
 * Live user changes for GraphQL subscriptions, fanned out from the one change feed per
 * database this instance runs: the feed's rows become numbered events in a bounded log
 * per database (for resuming), handed to the subscribers whose filter they match
 * through indexes (by user, by healthcare party, every user), so the work per change
 * grows with the subscribers it concerns and CouchDB's with neither. A database's log
 * starts with its first subscription (as the subscribed database or the caller's own).
 */
export class UserEvents {
  private readonly logs = new Map<string, DatabaseUserEvents>();
  private readonly perCaller = new Map<string, number>();
  private open = 0;
  private closed = false;

  constructor(
    private readonly options: UserEventsOptions,
    private readonly databases: Pick<UserDatabases, 'nameFor' | 'openIfExists'>,
    /** What the instance knew of a document before a revision (the user cache), for telling what a change did. */
    private readonly stateBefore: (database: string, id: string, rev: string) => KnownState | undefined = () => undefined,
  ) {}

  /** Subscriptions open now. */
  get size(): number {
    return this.open;
  }

  /** The name of a group's database (the default one for null), opened and so followed; null when it does not exist. */
  async database(groupId: string | null): Promise<string | null> {
    return (await this.databases.openIfExists(groupId)) ? this.databases.nameFor(groupId) : null;
  }

  /** A database's feed rows, in feed order (replays included), before anything else reads them. */
  record(database: string, rows: readonly ChangeRow[]): void {
    this.logs.get(database)?.record(rows, (id, rev) => this.stateBefore(database, id, rev));
  }

  /**
   * Opens a stream: from the request's cursor when it has one (replaying what came
   * after it), else live. Throws TOO_MANY_REQUESTS past a limit, STALE_CURSOR when the
   * cursor cannot be resumed here, SERVICE_UNAVAILABLE once shutting down.
   */
  subscribe(request: SubscriptionRequest): UserEventStream {
    if (this.closed) throw shuttingDown(null);
    if (this.open >= this.options.maxSubscriptions) {
      throw tooManySubscriptions(`This instance serves ${this.options.maxSubscriptions} subscriptions already: try again later`, this.options.maxSubscriptions);
    }
    const callerDatabase = this.databases.nameFor(request.caller.groupId);
    const callerKey = `${callerDatabase}\n${request.caller.userId}`;
    const ofCaller = this.perCaller.get(callerKey) ?? 0;
    if (ofCaller >= this.options.perCaller) {
      throw tooManySubscriptions(`At most ${this.options.perCaller} open subscriptions per user`, this.options.perCaller);
    }
    const events = this.of(request.database);
    const from = request.after === null ? events.log.headSeq : events.log.resumePoint(request.after);
    if (from === null) throw staleCursor(this.options.window);
    const callers = this.of(callerDatabase);
    const stream = new UserEventStream(events.log, request.filter, request.access, from, this.options.queueMax, () => {
      events.remove(stream);
      callers.removeCaller(request.caller.userId, stream);
      this.open--;
      const left = (this.perCaller.get(callerKey) ?? 1) - 1;
      if (left > 0) this.perCaller.set(callerKey, left);
      else this.perCaller.delete(callerKey);
    });
    events.add(stream);
    callers.addCaller(request.caller.userId, stream);
    this.open++;
    this.perCaller.set(callerKey, ofCaller + 1);
    return stream;
  }

  /** Ends every stream with SERVICE_UNAVAILABLE and its cursor (clients resubscribe elsewhere); refuses new ones. */
  close(): void {
    this.closed = true;
    for (const events of this.logs.values()) events.endAll();
  }

  private of(database: string): DatabaseUserEvents {
    let events = this.logs.get(database);
    if (!events) {
      events = new DatabaseUserEvents(new UserEventLog(this.options.window));
      this.logs.set(database, events);
    }
    return events;
  }
}

/** One database's log and the streams that follow it, indexed by what they filter on. */
class DatabaseUserEvents {
  private readonly byUser = new Map<string, Set<UserEventStream>>();
  private readonly byHealthcareParty = new Map<string, Set<UserEventStream>>();
  private readonly everyUser = new Set<UserEventStream>();
  /** Streams whose caller is a user of this database, by its id. */
  private readonly byCaller = new Map<string, Set<UserEventStream>>();

  constructor(readonly log: UserEventLog) {}

  record(rows: readonly ChangeRow[], stateBefore: (id: string, rev: string) => KnownState | undefined): void {
    for (const row of rows) {
      // The caller's own change first: a revoked subscriber must not get the event that revoked it.
      const callers = this.byCaller.get(row.id);
      if (callers) {
        const user = userOfRow(row);
        for (const stream of callers) stream.callerChanged(user);
      }
      const change = userChangeOf(row, this.log.stateOf(row.id) ?? stateBefore(row.id, row.rev));
      if (change) this.deliver(this.log.append(change));
    }
  }

  add(stream: UserEventStream): void {
    const { userId, healthcarePartyId } = stream.filter;
    if (userId !== undefined) addTo(this.byUser, userId, stream);
    else if (healthcarePartyId !== undefined) addTo(this.byHealthcareParty, healthcarePartyId, stream);
    else this.everyUser.add(stream);
  }

  remove(stream: UserEventStream): void {
    const { userId, healthcarePartyId } = stream.filter;
    if (userId !== undefined) removeFrom(this.byUser, userId, stream);
    else if (healthcarePartyId !== undefined) removeFrom(this.byHealthcareParty, healthcarePartyId, stream);
    else this.everyUser.delete(stream);
  }

  addCaller(userId: string, stream: UserEventStream): void {
    addTo(this.byCaller, userId, stream);
  }

  removeCaller(userId: string, stream: UserEventStream): void {
    removeFrom(this.byCaller, userId, stream);
  }

  endAll(): void {
    for (const stream of [...this.byCaller.values()].flatMap((streams) => [...streams])) stream.end(shuttingDown(stream.cursor));
  }

  private deliver(event: UserEvent): void {
    for (const stream of this.byUser.get(event.userId) ?? []) stream.offer(event);
    for (const healthcarePartyId of event.healthcarePartyIds) {
      for (const stream of this.byHealthcareParty.get(healthcarePartyId) ?? []) stream.offer(event);
    }
    if (event.knownUser) for (const stream of this.everyUser) stream.offer(event);
  }
}

function addTo<Key>(index: Map<Key, Set<UserEventStream>>, key: Key, stream: UserEventStream): void {
  let streams = index.get(key);
  if (!streams) {
    streams = new Set();
    index.set(key, streams);
  }
  streams.add(stream);
}

function removeFrom<Key>(index: Map<Key, Set<UserEventStream>>, key: Key, stream: UserEventStream): void {
  const streams = index.get(key);
  streams?.delete(stream);
  if (streams?.size === 0) index.delete(key);
}
