import { parseShared, topicMatches } from '../scenario/topic.js';
import type { QoS } from '../scenario/types.js';

/** One planned, active subscription: which client holds which filter, at which QoS. */
export interface PlannedSubscription {
  client: number;
  filter: string;
  qos: QoS;
}

/** Expected deliveries of one message by delivery QoS class: [QoS 0, QoS 1, QoS 2]. */
export type QosCounts = [number, number, number];

/**
 * Who should receive a message published to a topic, derived from the plan's subscriptions:
 * each client with a matching filter receives it once (overlapping filters of one client count
 * once, at the highest of their QoS, as brokers deliver one copy per client), and each matching
 * `$share` group receives it once, whichever member gets it. The delivery QoS is the lower of
 * the publish QoS and the subscription QoS.
 */
export class SubscriptionIndex {
  private exact = new Map<string, Map<number, QoS>>(); // topic → client → qos
  private wildcard: PlannedSubscription[] = [];
  private shared = new Map<string, { filter: string; qos: QoS }[]>(); // share group → filters
  private cache = new Map<string, QosCounts>(); // topic → counts by subscription QoS

  constructor(subs: Iterable<PlannedSubscription>) {
    for (const s of subs) {
      const share = parseShared(s.filter);
      if (share) {
        const filters = this.shared.get(share.group) ?? [];
        filters.push({ filter: share.filter, qos: s.qos });
        this.shared.set(share.group, filters);
      } else if (s.filter.includes('+') || s.filter.includes('#')) {
        this.wildcard.push(s);
      } else {
        const clients = this.exact.get(s.filter) ?? new Map<number, QoS>();
        clients.set(s.client, Math.max(clients.get(s.client) ?? 0, s.qos) as QoS);
        this.exact.set(s.filter, clients);
      }
    }
  }

  /** Deliveries one message to `topic` at `publishQos` should produce, by delivery QoS. */
  expectedFor(topic: string, publishQos: QoS): QosCounts {
    const bySubQos = this.bySubscriptionQos(topic);
    const out: QosCounts = [0, 0, 0];
    for (let q = 0; q < 3; q++) out[Math.min(q, publishQos)] += bySubQos[q];
    return out;
  }

  private bySubscriptionQos(topic: string): QosCounts {
    const hit = this.cache.get(topic);
    if (hit) return hit;
    const clients = new Map<number, QoS>(this.exact.get(topic) ?? []);
    for (const s of this.wildcard) {
      if (topicMatches(s.filter, topic)) clients.set(s.client, Math.max(clients.get(s.client) ?? 0, s.qos) as QoS);
    }
    const counts: QosCounts = [0, 0, 0];
    for (const q of clients.values()) counts[q]++;
    for (const filters of this.shared.values()) {
      let best = -1;
      for (const f of filters) if (f.qos > best && topicMatches(f.filter, topic)) best = f.qos;
      if (best >= 0) counts[best]++;
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(topic, counts);
    return counts;
  }
}

export type Arrival = 'new' | 'duplicate' | 'outOfOrder';

interface Stream {
  max: number;
  seen: Set<number>;
}

/** Sequence numbers remembered per stream for duplicate detection (oldest forgotten first). */
export const DUPLICATE_WINDOW = 16_384;

/**
 * Per publisher→subscriber stream bookkeeping on the receiving side. A sequence number seen
 * before is a duplicate; a new one below the highest seen is out of order. Memory per stream is
 * bounded: a duplicate of a message more than DUPLICATE_WINDOW messages older goes unnoticed.
 */
export class ArrivalLedger {
  private streams = new Map<number, Stream>();

  arrive(publisher: number, seq: number): Arrival {
    let s = this.streams.get(publisher);
    if (!s) {
      s = { max: -1, seen: new Set() };
      this.streams.set(publisher, s);
    }
    if (s.seen.has(seq)) return 'duplicate';
    s.seen.add(seq);
    if (s.seen.size > DUPLICATE_WINDOW) {
      const oldest = s.seen.values().next().value as number;
      s.seen.delete(oldest);
    }
    if (seq < s.max) return 'outOfOrder';
    s.max = seq;
    return 'new';
  }
}
