import { randomBytes } from 'node:crypto';
import type { KnownState, UserChange } from './user-change.js';

/** A change as subscribers receive it: numbered in its database's log, with the cursor to resume after it. */
export interface UserEvent extends UserChange {
  /** Position in the log: 1, 2, 3… */
  seq: number;
  /** `<epoch>.<seq>`: opaque to clients. */
  cursor: string;
}

/**
 * The last `capacity` events of one database, in feed order, for replaying what a
 * reconnecting subscriber missed. Each log has an epoch of its own (random, per
 * process), so a cursor of another instance, of a restarted one, or of another
 * database is recognised as not resumable here rather than misread.
 */
export class UserEventLog {
  readonly epoch = randomBytes(6).toString('base64url');
  private readonly ring: (UserEvent | undefined)[];
  private head = 0;
  /** The latest event of each user still in the log: the state a next change starts from. */
  private readonly latest = new Map<string, UserEvent>();

  constructor(private readonly capacity: number) {
    this.ring = new Array<UserEvent | undefined>(capacity);
  }

  /** Seq of the newest event; 0 before the first. */
  get headSeq(): number {
    return this.head;
  }

  append(change: UserChange): UserEvent {
    const seq = ++this.head;
    const event: UserEvent = { ...change, seq, cursor: this.cursorOf(seq) };
    const slot = seq % this.capacity;
    const evicted = this.ring[slot];
    if (evicted && this.latest.get(evicted.userId) === evicted) this.latest.delete(evicted.userId);
    this.ring[slot] = event;
    this.latest.set(event.userId, event);
    return event;
  }

  cursorOf(seq: number): string {
    return `${this.epoch}.${seq}`;
  }

  /** The event with this seq, while the log holds it. */
  at(seq: number): UserEvent | undefined {
    return seq > this.head - this.capacity && seq >= 1 && seq <= this.head ? this.ring[seq % this.capacity] : undefined;
  }

  /** What the log last said of a user, while it holds that event. */
  stateOf(userId: string): KnownState | undefined {
    const event = this.latest.get(userId);
    return event && { rev: event.rev, user: event.user };
  }

  /**
   * The seq a subscriber that saw up to `cursor` resumes after, or null when this log
   * cannot replay what came after it (another epoch, or events since dropped).
   */
  resumePoint(cursor: string): number | null {
    const match = /^([\w-]+)\.(\d{1,15})$/.exec(cursor);
    if (!match || match[1] !== this.epoch) return null;
    const seq = Number(match[2]);
    return seq >= this.head - this.capacity && seq <= this.head ? seq : null;
  }
}
