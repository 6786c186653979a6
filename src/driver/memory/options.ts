import type { QoS } from '../../scenario/types.js';
import type { Clock } from '../../shared/clock.js';
import type { DeliveryEvent } from './faults.js';

/**
 * How the in-memory broker behaves. Delays are in clock ms; 0 means "on the next microtask" (so a test on
 * the fake clock needs no advance() for them, only an await).
 */
export interface MemoryOptions {
  /** Timers for delays and MQTT 5 session expiry. Default: the system clock. */
  clock?: Clock;
  /** From publish() (or any client packet) to the broker having it: "written". Default 0. */
  writeDelayMs?: number;
  /** From the broker routing a message (or a PUBREL) to the subscriber's client getting it. Default 0. */
  deliverDelayMs?: number;
  /** From the broker taking a QoS 1/2 publish (or a PUBREL) to the publisher getting PUBACK / PUBREC (PUBCOMP). Default 0. */
  ackDelayMs?: number;
  /** CONNECT → CONNACK and SUBSCRIBE → SUBACK. Default 0. */
  controlDelayMs?: number;
  /** Unwritten publishes on one connection at which writable() turns false (with writeDelayMs > 0). Default: never. */
  highWater?: number;
  /** MQTT 5 CONNACK Receive Maximum; a client with more QoS 1/2 publishes unacknowledged is disconnected (0x93). */
  receiveMaximum?: number;
  /** The highest QoS the broker grants a subscription (a RabbitMQ-like broker: 1). Default 2. */
  maxQoS?: QoS;
  /** QoS 2 publishes are run as QoS 1: completed by PUBACK and delivered at QoS 1 (RabbitMQ). Default false. */
  qos2AsQos1?: boolean;
  /** "$share/<group>/<filter>": a shared subscription, refused in SUBACK (0x80), or taken as a plain topic. Default 'yes'. */
  sharedSubscriptions?: 'yes' | 'refuse' | 'literal';
  /** Retained messages go to new subscriptions with + or # too. Default true. */
  retainedToWildcards?: boolean;
  /** Filters the broker refuses in SUBACK (0x80). */
  refuseFilter?: (filter: string) => boolean;
  /**
   * A client with several matching (non-shared) subscriptions gets one copy at the highest granted QoS
   * ('perClient', MQTT 5 §3.3.4, mosquitto) or one per subscription. Default 'perClient'.
   */
  overlap?: 'perClient' | 'perSubscription';
  /** Keep a log of every onMessage (MemoryDriver.log). Default false. */
  record?: boolean;
}

/** One onMessage call, as logged with `record: true`: the delivery (`dup`: the frame had DUP = 1) and when. */
export type Arrival = Omit<DeliveryEvent, 'packetId'> & { at: number };

/** Runs `fn` after `ms` clock ms, on the next microtask for 0, never for Infinity. */
export function later(clock: Clock, ms: number, fn: () => void): void {
  if (ms === Infinity) return;
  if (ms > 0) clock.setTimeout(fn, ms);
  else queueMicrotask(fn);
}
