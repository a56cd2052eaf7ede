import { slowConsumer, type GatewayError } from '../errors.js';
import type { StoredUser } from './stored-user.js';
import type { UserEvent, UserEventLog } from './user-event-log.js';

/** Which events a subscription wants: one user's, a healthcare party's users', or every user's. */
export interface UserEventFilter {
  userId?: string;
  healthcarePartyId?: string;
}

/** Whether a subscriber may go on, and what it may read; kept current with its caller's document. */
export interface SubscriberAccess {
  /** Null while the caller may still receive events; else the error that ends the stream. */
  refusal(): GatewayError | null;
  /** Whether the caller may read this user now. */
  mayRead(userId: string): boolean;
  /** The caller's document changed (null: no longer a user). */
  callerChanged(user: StoredUser | null): void;
}

export function matchesFilter(filter: UserEventFilter, event: UserEvent): boolean {
  if (filter.userId !== undefined) return event.userId === filter.userId;
  if (filter.healthcarePartyId !== undefined) return event.healthcarePartyIds.includes(filter.healthcarePartyId);
  return event.knownUser;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One subscriber's events, as the async iterator GraphQL pulls from: first those of
 * the log after its starting point (read from the log as it is pulled, so a long
 * replay takes no memory of its own), then the live ones its database hands over, in
 * a queue of at most `queueMax`. A subscriber that lets it overflow (or reads its
 * replay slower than the log drops it) is ended with SLOW_CONSUMER and the cursor to
 * resume from; one whose access is withdrawn, with that refusal. `return()` (the
 * client went away) unregisters it at once.
 */
export class UserEventStream implements AsyncIterableIterator<UserEvent> {
  /** Seq of the last event handed out (or the starting point). */
  private position: number;
  private readonly replayUntil: number;
  private queue: UserEvent[] = [];
  private waiting: { resolve(result: IteratorResult<UserEvent>): void; reject(error: unknown): void } | null = null;
  /** Set once: the error still to hand out, or null once the end is handed out. */
  private ending: { error: GatewayError | null } | null = null;
  private handedOut = false;

  constructor(
    private readonly log: UserEventLog,
    readonly filter: UserEventFilter,
    readonly access: SubscriberAccess,
    /** The seq to start after: the log's head for live events only, an earlier one to replay. */
    from: number,
    private readonly queueMax: number,
    /** Unregisters the stream; called once, whatever ends it. */
    private readonly onEnd: () => void,
  ) {
    this.position = from;
    this.replayUntil = log.headSeq;
  }

  /**
   * Where the subscriber resumes: after the last event handed out, or, while the stream
   * waits (everything handed out is sent, whatever came since was for others), after
   * the log's newest event, so that an idle subscriber's cursor does not age out.
   */
  get cursor(): string {
    return this.log.cursorOf(this.waiting ? this.log.headSeq : this.position);
  }

  /** The cursor when every event handed out has been sent (nothing yet, or waiting for more); null in between. */
  get settledCursor(): string | null {
    return this.waiting || !this.handedOut ? this.cursor : null;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** A live event that matches the filter. */
  offer(event: UserEvent): void {
    if (this.ending || !this.access.mayRead(event.userId)) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      this.position = event.seq;
      this.handedOut = true;
      resolve({ done: false, value: event });
    } else if (this.queue.length >= this.queueMax) {
      this.end(this.slowConsumer());
    } else {
      this.queue.push(event);
    }
  }

  /** The caller's document changed: ends the stream at once if its access is gone. */
  callerChanged(user: StoredUser | null): void {
    this.access.callerChanged(user);
    const refusal = this.access.refusal();
    if (refusal) this.end(refusal);
  }

  /** Ends the stream: with an error for the client to read last, or quietly (null). */
  end(error: GatewayError | null): void {
    if (this.ending) return;
    this.ending = { error };
    this.queue = [];
    this.onEnd();
    if (this.waiting) {
      const { resolve, reject } = this.waiting;
      this.waiting = null;
      this.finish().then(resolve, reject);
    }
  }

  next(): Promise<IteratorResult<UserEvent>> {
    if (!this.ending) {
      const refusal = this.access.refusal();
      if (refusal) this.end(refusal);
    }
    if (this.ending) return this.finish();
    const replayed = this.replay();
    if (this.ending) return this.finish();
    const event = replayed ?? this.queue.shift();
    if (event) {
      this.position = event.seq;
      this.handedOut = true;
      return Promise.resolve({ done: false, value: event });
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<UserEvent>> {
    this.end(null);
    this.ending = { error: null };
    return Promise.resolve(DONE);
  }

  /** The next event of the replay the subscriber may see, if any is left. */
  private replay(): UserEvent | undefined {
    while (this.position < this.replayUntil) {
      const event = this.log.at(this.position + 1);
      if (!event) {
        this.end(this.slowConsumer());
        return undefined;
      }
      if (matchesFilter(this.filter, event) && this.access.mayRead(event.userId)) return event;
      this.position = event.seq;
    }
    return undefined;
  }

  /** The end as the iterator hands it out: the error once, then done. */
  private finish(): Promise<IteratorResult<UserEvent>> {
    const error = this.ending!.error;
    this.ending = { error: null };
    return error ? Promise.reject(error) : Promise.resolve(DONE);
  }

  private slowConsumer(): GatewayError {
    return slowConsumer(this.cursor);
  }
}
