import { parseShared, topicMatches } from '../scenario/topic.js';

/** One planned, active subscription: which client holds which filter. */
export interface PlannedSubscription {
  client: number;
  filter: string;
}

/**
 * Who should receive a message published to a topic, derived from the plan's subscriptions:
 * each matching plain subscription receives it once per client (overlapping filters of one
 * client count once, as brokers deliver one copy per client), and each matching `$share`
 * group receives it once, whichever member gets it.
 */
export class SubscriptionIndex {
  private exact = new Map<string, number[]>();
  private wildcard: PlannedSubscription[] = [];
  private shared = new Map<string, string[]>(); // share group → filters
  private cache = new Map<string, number>();

  constructor(subs: Iterable<PlannedSubscription>) {
    for (const s of subs) {
      const share = parseShared(s.filter);
      if (share) {
        const filters = this.shared.get(share.group) ?? [];
        if (!filters.includes(share.filter)) filters.push(share.filter);
        this.shared.set(share.group, filters);
      } else if (s.filter.includes('+') || s.filter.includes('#')) {
        this.wildcard.push(s);
      } else {
        const clients = this.exact.get(s.filter) ?? [];
        clients.push(s.client);
        this.exact.set(s.filter, clients);
      }
    }
  }

  /** Number of deliveries one message to `topic` should produce. */
  expectedFor(topic: string): number {
    const hit = this.cache.get(topic);
    if (hit !== undefined) return hit;
    const clients = new Set<number>(this.exact.get(topic) ?? []);
    for (const s of this.wildcard) if (topicMatches(s.filter, topic)) clients.add(s.client);
    let n = clients.size;
    for (const filters of this.shared.values()) if (filters.some((f) => topicMatches(f, topic))) n++;
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(topic, n);
    return n;
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
