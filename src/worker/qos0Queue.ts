import type { Connection, PublishDone } from '../driver/driver.js';

/** Per message: intended time, send time, deliveries expected at QoS 0, 1 and 2. */
const FIELDS = 5;
/** Messages a queue holds when it is first used (it doubles when full). */
const FIRST_CAPACITY = 4;

/** What the publisher's accounting reads of a QoS 0 message when the driver settles it (one object, refilled). */
export interface Qos0Message {
  dueMs: number;
  /** Intended inside the measured window: not stored, the settling side fills it in from dueMs. */
  measured: boolean;
  sentMs: number;
  e0: number;
  e1: number;
  e2: number;
}

/**
 * The QoS 0 messages one device handed to one connection and the driver has not settled yet, oldest
 * first: their accounting in a ring of doubles, and ONE `done` shared by all of them (no object or
 * closure per message, where a QoS 1/2 message has its Outgoing).
 *
 * Which message a call of `done` settles follows from the order drivers settle QoS 0 publishes in (see
 * PublishDone): in publish order per connection, except a refusal inside publish(), which is the message
 * being published (the newest; `publishing` is set around the call). A device gets a new queue with each
 * connection, so the late verdicts of an old connection never mix with the new one's.
 */
export class Qos0Queue<D> {
  readonly done: PublishDone;
  /** Set while the connection's publish() runs: a verdict then is for the newest message. */
  publishing = false;
  private ring: Float64Array = new Float64Array(FIRST_CAPACITY * FIELDS);
  /** Index (in messages) of the oldest. */
  private head = 0;
  private count = 0;
  /** The message being settled (refilled by take()). */
  private readonly msg: Qos0Message = { dueMs: 0, measured: false, sentMs: 0, e0: 0, e1: 0, e2: 0 };

  constructor(
    /** The device whose messages these are. */
    readonly dev: D,
    readonly conn: Connection,
    settle: (q: Qos0Queue<D>, m: Qos0Message, err?: Error) => void,
  ) {
    this.done = (err) => {
      if (this.count === 0) return; // more verdicts than messages: a driver bug, never a wrong message
      settle(this, this.take(this.publishing), err);
    };
  }

  get size(): number {
    return this.count;
  }

  push(dueMs: number, sentMs: number, e0: number, e1: number, e2: number): void {
    let r = this.ring;
    if (this.count * FIELDS === r.length) r = this.grow();
    const at = ((this.head + this.count) & (r.length / FIELDS - 1)) * FIELDS;
    r[at] = dueMs;
    r[at + 1] = sentMs;
    r[at + 2] = e0;
    r[at + 3] = e1;
    r[at + 4] = e2;
    this.count++;
  }

  /** Removes the oldest message (or the newest) and returns it in the shared record. */
  private take(newest: boolean): Qos0Message {
    const r = this.ring;
    const mask = r.length / FIELDS - 1;
    let at: number;
    if (newest) at = ((this.head + this.count - 1) & mask) * FIELDS;
    else {
      at = this.head * FIELDS;
      this.head = (this.head + 1) & mask;
    }
    this.count--;
    const m = this.msg;
    m.dueMs = r[at];
    m.sentMs = r[at + 1];
    m.e0 = r[at + 2];
    m.e1 = r[at + 3];
    m.e2 = r[at + 4];
    return m;
  }

  /** Twice the room, the messages in order from index 0. */
  private grow(): Float64Array {
    const old = this.ring;
    const next = new Float64Array(old.length * 2);
    const h = this.head * FIELDS;
    next.set(old.subarray(h), 0);
    next.set(old.subarray(0, h), old.length - h);
    this.head = 0;
    this.ring = next;
    return next;
  }
}
