import type { AckKind, PublishDone } from '../driver/driver.js';
import type { QoS } from '../scenario/model.js';
import type { Device } from './device.js';

/**
 * One message handed to a connection, until the driver settles it (written, acknowledged, not written,
 * refused, or its session ended): what its accounting needs then. QoS 1/2 ones also sit in an OpenList,
 * so the ones never settled can be found when the run ends.
 */
export class Outgoing {
  prev: Outgoing | null = null;
  next: Outgoing | null = null;
  settled = false;
  /** The driver's callback: settles this message exactly once (later calls are ignored). */
  readonly done: PublishDone;

  // eslint-disable-next-line max-params -- debt: 10 constructor dependencies; take a deps object
  constructor(
    readonly dev: Device,
    readonly seq: number,
    readonly qos: QoS,
    readonly dueMs: number,
    readonly sentMs: number,
    /** Intended inside the measured window (after warm-up). */
    readonly measured: boolean,
    /** Deliveries expected of it, by delivery QoS. */
    readonly e0: number,
    readonly e1: number,
    readonly e2: number,
    settle: (o: Outgoing, err?: Error, ack?: AckKind) => void,
  ) {
    this.done = (err, ack) => settle(this, err, ack);
  }
}

/** An intrusive doubly linked list of open (unsettled) messages, oldest first: O(1) add and remove. */
export class OpenList {
  private head: Outgoing | null = null;
  private tail: Outgoing | null = null;
  size = 0;

  add(o: Outgoing): void {
    o.prev = this.tail;
    o.next = null;
    if (this.tail) this.tail.next = o;
    else this.head = o;
    this.tail = o;
    this.size++;
  }

  remove(o: Outgoing): void {
    if (o.prev) o.prev.next = o.next;
    else if (this.head === o) this.head = o.next;
    else return; // not in the list
    if (o.next) o.next.prev = o.prev;
    else this.tail = o.prev;
    o.prev = o.next = null;
    this.size--;
  }

  /** The oldest open message, or null. */
  first(): Outgoing | null {
    return this.head;
  }
}
