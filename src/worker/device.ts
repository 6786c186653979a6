import type { Connection, OutboundSession } from '../driver/driver.js';
import { isReceiving, NOT_OFFERED, receivableAt } from '../metrics/ledger.js';
import { parseShared, topicMatches } from '../mqtt/topic.js';
import type { GroupSpec, QoS } from '../scenario/model.js';
import { Backlog } from './backlog.js';
import type { Qos0Queue } from './qos0Queue.js';
import type { GroupNames } from './naming.js';
import type { DeviceArrivals } from './arrivals.js';
import { perFilter } from './perFilter.js';

/** One simulated client: its identity, its connection (when up) and its receive-side ledger. */
export class Device {
  conn: Connection | null = null;
  /** The rendered response topic of this client's requests (MQTT 5 request/response), once known. */
  responseTopic?: string;
  /** Its publish topic, rendered once when it depends only on the client (MessageBuilder.topic; null: not yet, or per message). */
  topic: string | null = null;
  /** The rendered topic of its last will (connect.will). */
  willTopic?: string;
  /** Closed loop (publish rate: max): the next sequence number. */
  nextSeq = 0;
  /** Its receive-side ledger (made by the Receiver on the first delivery). */
  ledger: DeviceArrivals | null = null;
  /** Slots waiting for room in the in-flight window (QoS 1/2) or the socket (any QoS). */
  readonly backlog = new Backlog();
  /** Its QoS 0 messages not yet settled by its current (or last) connection (made by the Publisher). */
  q0: Qos0Queue<Device> | null = null;
  /** A persistent session's unacknowledged QoS 1/2 publishes, kept across connections (clean: false only). */
  session?: OutboundSession;

  // eslint-disable-next-line max-params -- debt: 8 constructor dependencies; take a deps object
  constructor(
    readonly groupIndex: number,
    readonly group: GroupSpec,
    readonly names: GroupNames,
    /** Index within the group ({i}). */
    readonly index: number,
    /** Global client index across all groups: the publisher id in payload headers. */
    readonly global: number,
    readonly clientId: string,
    readonly filters: string[],
    /** Receivable slot of filter 0 (filter k: slot + k). */
    readonly slot: number,
  ) {
    // Subscriptions without a start time are made on connect; late ones become active at their time.
    const n = group.subscribe.length;
    this.active = n === 0 ? perFilter(0) : group.subscribe.map((s) => s.atMs === undefined);
    this.granted = n === 0 ? perFilter(0) : group.subscribe.map((s) => s.qos);
    this.since = perFilter(n);
    this.until = perFilter(n);
    this.asked = perFilter(n);
    this.released = perFilter(n);
  }

  /** Per filter: the QoS the broker granted (SUBACK); the planned QoS until then. */
  readonly granted: QoS[];

  /** Per filter: whether the subscription should be in place (made at connect, or late and due). */
  readonly active: boolean[];
  /**
   * Per filter: since when and until when publishers have counted this subscription as a receiver
   * (epoch ms). A delivery of a message sent outside that window was not expected: it crossed a
   * subscription change (between the broker acting on SUBSCRIBE and our SUBACK, or after we stopped
   * counting before an unsubscribe or a clean-session drop took effect).
   */
  readonly since: number[];
  readonly until: number[];
  /**
   * Per filter: when SUBSCRIBE was last sent, and when UNSUBSCRIBE completed (Infinity while it is under
   * way): around since/until, a copy may come through the filter without publishers having counted it.
   */
  readonly asked: number[];
  readonly released: number[];

  /**
   * Records whether publishers count filter k as a receiver: `granted` (the QoS the broker granted, for an
   * active subscription), 'notOffered' (subscribed, but the broker does not offer what it needs) or false.
   */
  expecting(k: number, state: QoS | 'notOffered' | false, now: number, receivable: Uint8Array): void {
    const b = state === false ? 0 : state === 'notOffered' ? NOT_OFFERED : receivableAt(state);
    if (typeof state === 'number' && state !== this.granted[k]) {
      this.granted[k] = Math.min(state, this.group.subscribe[k].qos) as QoS;
    }
    const was = receivable[this.slot + k];
    if (b === was) return; // e.g. a persistent session subscribing again after a reconnect: nothing changes
    receivable[this.slot + k] = b;
    if (isReceiving(b) === isReceiving(was)) return;
    if (isReceiving(b)) {
      this.since[k] = now;
      this.until[k] = Infinity;
    } else this.until[k] = now;
  }

  /** Whether a message sent at `sentMs` to `topic` was counted as a delivery to this client. */
  wasExpected(topic: string, sentMs: number): boolean {
    for (let k = 0; k < this.filters.length; k++) {
      if (this.filters.length > 1 && !topicMatches(parseShared(this.filters[k])?.filter ?? this.filters[k], topic)) continue;
      if (sentMs >= (this.since[k] ?? Infinity) && sentMs <= (this.until[k] ?? Infinity)) return true;
    }
    return false;
  }
}
