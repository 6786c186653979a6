/**
 * Fault injection for the in-memory broker: rules that pick events (every Nth, by predicate, at most
 * k times) and say what happens to them. Each rule counts what it saw and what it did.
 */
import type { ConnectOptions } from '../driver.js';
import type { QoS } from '../../scenario/model.js';

/** Which events a rule applies to. With none set, every event. */
export interface Match<E> {
  /** Only events this returns true for (they are the ones `every` counts). */
  when?: (e: E) => boolean;
  /** Only every Nth matching event: the Nth, 2Nth, … (1 = each). Default 1. */
  every?: number;
  /** At most this many times; then the rule stops applying. Default: no limit. */
  times?: number;
}

/** A message on its way from the broker to a subscriber. */
export interface DeliveryEvent {
  clientId: string;
  topic: string;
  payload: Buffer;
  qos: QoS;
  retained: boolean;
  dup: boolean;
  packetId: number;
}

/** A PUBLISH arriving at the broker from a client. */
export interface PublishEvent {
  clientId: string;
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  packetId: number;
}

/** A message the broker gives one member of a `$share` group (`clientId`: the member whose turn it is). */
export interface ShareEvent {
  clientId: string;
  /** The full filter, "$share/<group>/<filter>". */
  filter: string;
  topic: string;
  payload: Buffer;
  qos: QoS;
}

/** An acknowledgement on its way from the broker to a publisher. */
export interface AckEvent {
  clientId: string;
  kind: 'puback' | 'pubrec' | 'pubcomp';
  packetId: number;
}

/** One rule. `seen`: events it matched (before `every`); `hits`: events it acted on. */
export class Fault<E> {
  seen = 0;
  hits = 0;
  private active = true;

  constructor(private readonly m: Match<E>) {
    if (m.every !== undefined && !(Number.isInteger(m.every) && m.every >= 1)) throw new Error(`every must be a whole number ≥ 1, got ${m.every}`);
  }

  /** Whether the rule acts on `e` (counts it when it does). */
  take(e: E): boolean {
    if (!this.active) return false;
    if (this.m.when && !this.m.when(e)) return false;
    this.seen++;
    if (this.seen % (this.m.every ?? 1) !== 0) return false;
    if (this.m.times !== undefined && this.hits >= this.m.times) return false;
    this.hits++;
    return true;
  }

  /** Stops the rule (its counts stay). */
  remove(): void {
    this.active = false;
  }
}

type Rules<E, X = object> = (Fault<E> & X)[];

/** The rules in force, by the point of the path they act on. */
export class Faults {
  readonly dropDeliveryRules: Rules<DeliveryEvent> = [];
  readonly duplicateDeliveryRules: Rules<DeliveryEvent> = [];
  readonly delayDeliveryRules: Rules<DeliveryEvent, { ms: number }> = [];
  readonly holdAckRules: Rules<AckEvent> = [];
  readonly delayAckRules: Rules<AckEvent, { ms: number }> = [];
  readonly swallowRules: Rules<PublishEvent> = [];
  readonly refuseRules: Rules<PublishEvent, { reason: string }> = [];
  readonly refuseConnectRules: Rules<ConnectOptions, { reason: string }> = [];
  readonly shareTwiceRules: Rules<ShareEvent> = [];

  /** Deliveries to subscribers are lost on the way (a QoS 1/2 copy stays unacknowledged at the broker). */
  dropDeliveries(m: Match<DeliveryEvent> = {}): Fault<DeliveryEvent> {
    return add(this.dropDeliveryRules, new Fault(m));
  }

  /** Deliveries arrive twice (the second copy with DUP = 1: QoS 1 shows twice, QoS 2 once). */
  duplicateDeliveries(m: Match<DeliveryEvent> = {}): Fault<DeliveryEvent> {
    return add(this.duplicateDeliveryRules, new Fault(m));
  }

  /** Deliveries arrive `ms` later than the others (so they may overtake or be overtaken). */
  delayDeliveries(ms: number, m: Match<DeliveryEvent> = {}): Fault<DeliveryEvent> {
    return add(this.delayDeliveryRules, Object.assign(new Fault(m), { ms }));
  }

  /** The broker's PUBACK / PUBREC / PUBCOMP are held back until releaseAcks(). */
  holdAcks(m: Match<AckEvent> = {}): Fault<AckEvent> {
    return add(this.holdAckRules, new Fault(m));
  }

  /** The broker's acks arrive `ms` later. */
  delayAcks(ms: number, m: Match<AckEvent> = {}): Fault<AckEvent> {
    return add(this.delayAckRules, Object.assign(new Fault(m), { ms }));
  }

  /** Publishes are lost inside the broker: neither routed nor acknowledged. */
  swallowPublishes(m: Match<PublishEvent> = {}): Fault<PublishEvent> {
    return add(this.swallowRules, new Fault(m));
  }

  /**
   * The broker refuses publishes: MQTT 5 with an ack carrying `reason` (done gets an Error), MQTT 3.1.1 by
   * closing the connection (it has no reason codes). QoS 0 ones are dropped silently under MQTT 5.
   */
  refusePublishes(reason = 'Not authorized', m: Match<PublishEvent> = {}): Fault<PublishEvent> {
    return add(this.refuseRules, Object.assign(new Fault(m), { reason }));
  }

  /** A broker bug: a `$share` group's message goes to the next member as well (when the group has two or more). */
  shareTwice(m: Match<ShareEvent> = {}): Fault<ShareEvent> {
    return add(this.shareTwiceRules, new Fault(m));
  }

  /** connect() rejects with ConnectFailure(reason). */
  refuseConnects(reason = 'ECONNREFUSED', m: Match<ConnectOptions> = {}): Fault<ConnectOptions> {
    return add(this.refuseConnectRules, Object.assign(new Fault(m), { reason }));
  }
}

function add<R>(rules: R[], r: R): R {
  rules.push(r);
  return r;
}

/** The first rule of `rules` that acts on `e`, or undefined (only that rule counts a hit). */
export function firstTaking<E, R extends Fault<E>>(rules: readonly R[], e: E): R | undefined {
  for (const r of rules) if (r.take(e)) return r;
  return undefined;
}
