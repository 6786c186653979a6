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
 * Which clients can receive right now, indexed by global client index: 1 while a client's
 * subscriptions are active (connected and subscribed, or away with a persistent session whose
 * broker queues for it), 0 otherwise. Shared by all worker threads (a SharedArrayBuffer), so a
 * publisher in one thread sees a subscriber in another come and go.
 */
export type Receivable = Uint8Array;

interface Receivers {
  clients: number[];
  qos: QoS[];
  /** Matching $share groups: members and the group's highest matching QoS. */
  shares: { members: number[]; qos: QoS }[];
}

/**
 * Who should receive a message published to a topic, derived from the plan's subscriptions:
 * each client with a matching filter receives it once (overlapping filters of one client count
 * once, at the highest of their QoS, as brokers deliver one copy per client), and each matching
 * `$share` group receives it once, whichever member gets it. The delivery QoS is the lower of
 * the publish QoS and the subscription QoS. Only receivable clients count.
 */
export class SubscriptionIndex {
  private exact = new Map<string, Map<number, QoS>>(); // topic → client → qos
  private wildcard: PlannedSubscription[] = [];
  private shared = new Map<string, PlannedSubscription[]>(); // share group → member filters (unwrapped)
  private cache = new Map<string, Receivers>();

  constructor(subs: Iterable<PlannedSubscription>) {
    for (const s of subs) {
      const share = parseShared(s.filter);
      if (share) {
        const members = this.shared.get(share.group) ?? [];
        members.push({ client: s.client, filter: share.filter, qos: s.qos });
        this.shared.set(share.group, members);
      } else if (s.filter.includes('+') || s.filter.includes('#')) {
        this.wildcard.push(s);
      } else {
        const clients = this.exact.get(s.filter) ?? new Map<number, QoS>();
        clients.set(s.client, Math.max(clients.get(s.client) ?? 0, s.qos) as QoS);
        this.exact.set(s.filter, clients);
      }
    }
  }

  /** Deliveries one message to `topic` at `publishQos` should produce now, by delivery QoS. */
  expectedFor(topic: string, publishQos: QoS, receivable: Receivable): QosCounts {
    const r = this.receivers(topic);
    const out: QosCounts = [0, 0, 0];
    for (let k = 0; k < r.clients.length; k++) {
      if (receivable[r.clients[k]] === 1) out[Math.min(r.qos[k], publishQos)]++;
    }
    for (const g of r.shares) {
      if (g.members.some((c) => receivable[c] === 1)) out[Math.min(g.qos, publishQos)]++;
    }
    return out;
  }

  private receivers(topic: string): Receivers {
    const hit = this.cache.get(topic);
    if (hit) return hit;
    const byClient = new Map<number, QoS>(this.exact.get(topic) ?? []);
    for (const s of this.wildcard) {
      if (topicMatches(s.filter, topic)) byClient.set(s.client, Math.max(byClient.get(s.client) ?? 0, s.qos) as QoS);
    }
    const shares: Receivers['shares'] = [];
    for (const members of this.shared.values()) {
      const matching = members.filter((m) => topicMatches(m.filter, topic));
      if (matching.length > 0) shares.push({ members: [...new Set(matching.map((m) => m.client))], qos: Math.max(...matching.map((m) => m.qos)) as QoS });
    }
    const r: Receivers = { clients: [...byClient.keys()], qos: [...byClient.values()], shares };
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(topic, r);
    return r;
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
