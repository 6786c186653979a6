import { parseShared, topicMatches } from '../mqtt/topic.js';
import type { QoS } from '../mqtt/protocol.js';
import type { AwayNotes } from './sessions.js';

/** One planned subscription: which client holds which filter at which QoS, and its receivable slot. */
export interface PlannedSubscription {
  client: number;
  slot: number;
  filter: string;
  qos: QoS;
}

/**
 * Expected deliveries of one message by delivery QoS class [QoS 0, QoS 1, QoS 2], then the deliveries
 * not expected because the broker does not offer what their subscriptions need (NOT_OFFERED).
 */
export type QosCounts = [number, number, number, number];

/**
 * Which subscriptions can receive right now, one byte per subscription slot: 1 + the QoS the broker
 * granted while it is active (its client connected and subscribed, or away with a persistent session
 * whose broker queues for it), NOT_RECEIVABLE otherwise, NOT_OFFERED when the client subscribed but the
 * broker does not offer what the subscription needs (e.g. shared subscriptions). Shared by all worker
 * threads (a SharedArrayBuffer), so a publisher in one thread sees a subscriber in another come and go.
 */
export type Receivable = Uint8Array;

export const NOT_RECEIVABLE = 0;
export const NOT_OFFERED = 255;
/** The byte of an active subscription the broker granted `qos` (AS_PLANNED: granted what was asked). */
export const receivableAt = (qos: QoS): number => qos + 1;
export const AS_PLANNED = receivableAt(2);
/** Whether a Receivable byte counts its subscription as a receiver. */
export const isReceiving = (b: number): boolean => b !== NOT_RECEIVABLE && b !== NOT_OFFERED;

interface Matching {
  slots: number[];
  qos: QoS[];
}

interface Receivers {
  /** Per client, its matching subscriptions (one delivery per client, at the best active QoS). */
  clients: Matching[];
  /** Per matching $share group, the members' matching subscriptions (one delivery per group). */
  shares: Matching[];
}

/**
 * Who should receive a message published to a topic, derived from the plan's subscriptions:
 * each client with an active matching filter receives it once (overlapping filters of one client
 * count once, at the highest of their QoS, as brokers deliver one copy per client), and each
 * matching `$share` group with an active member receives it once. The delivery QoS is the lowest
 * of the publish QoS, the subscription's QoS and the QoS the broker granted it (SUBACK).
 */
export class SubscriptionIndex {
  private exact = new Map<string, PlannedSubscription[]>();
  private wildcard: PlannedSubscription[] = [];
  private shared = new Map<string, PlannedSubscription[]>(); // share group → members (filters unwrapped)
  private cache = new Map<string, Receivers>();
  /** Told of each client delivery counted (slot, class), for sessions that are away (see metrics/sessions.ts). */
  away: AwayNotes | null = null;

  constructor(subs: Iterable<PlannedSubscription>) {
    for (const s of subs) {
      const share = parseShared(s.filter);
      if (share) {
        const members = this.shared.get(share.group) ?? [];
        members.push({ ...s, filter: share.filter });
        this.shared.set(share.group, members);
      } else if (s.filter.includes('+') || s.filter.includes('#')) {
        this.wildcard.push(s);
      } else {
        const list = this.exact.get(s.filter) ?? [];
        list.push(s);
        this.exact.set(s.filter, list);
      }
    }
  }

  /** Deliveries one message to `topic` at `publishQos` should produce now, by delivery QoS. */
  expectedFor(topic: string, publishQos: QoS, receivable: Receivable, noteAway = true): QosCounts {
    const r = this.receivers(topic);
    const out: QosCounts = [0, 0, 0, 0];
    for (const m of r.clients) add(out, m, publishQos, receivable, noteAway ? this.away : null);
    for (const m of r.shares) add(out, m, publishQos, receivable, null);
    return out;
  }

  private receivers(topic: string): Receivers {
    const hit = this.cache.get(topic);
    if (hit) return hit;
    const byClient = new Map<number, Matching>();
    const take = (s: PlannedSubscription) => {
      const m = byClient.get(s.client) ?? { slots: [], qos: [] };
      m.slots.push(s.slot);
      m.qos.push(s.qos);
      byClient.set(s.client, m);
    };
    for (const s of this.exact.get(topic) ?? []) take(s);
    for (const s of this.wildcard) if (topicMatches(s.filter, topic)) take(s);
    const shares: Matching[] = [];
    for (const members of this.shared.values()) {
      const matching = members.filter((m) => topicMatches(m.filter, topic));
      if (matching.length > 0) shares.push({ slots: matching.map((m) => m.slot), qos: matching.map((m) => m.qos) });
    }
    const r: Receivers = { clients: [...byClient.values()], shares };
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(topic, r);
    return r;
  }
}

/**
 * One delivery if any of the subscriptions is active, at the best active QoS (each capped by what the
 * broker granted, all by the publish QoS); else one not-offered delivery if any is NOT_OFFERED.
 * `away` is told which slot the delivery was counted for (sessions that are away: metrics/sessions.ts).
 */
function add(out: QosCounts, m: Matching, publishQos: QoS, receivable: Receivable, away: AwayNotes | null): void {
  let best = -1;
  let at = -1;
  let notOffered = false;
  for (let k = 0; k < m.slots.length; k++) {
    const b = receivable[m.slots[k]];
    if (b === NOT_RECEIVABLE) continue;
    if (b === NOT_OFFERED) notOffered = true;
    else if (Math.min(m.qos[k], b - 1) > best) {
      best = Math.min(m.qos[k], b - 1);
      at = m.slots[k];
    }
  }
  if (best >= 0) {
    const q = Math.min(best, publishQos);
    out[q]++;
    away?.note(at, q);
  } else if (notOffered) out[3]++;
}
