/**
 * Who should receive a message published to a topic, from the plan's subscription RULES
 * (subscriptionRules.ts) instead of a list of every subscription of the run: built in time and memory
 * independent of the client count, so a segment of a 1,000,000-client run starts like a run of its own size.
 * Counting is exactly SubscriptionIndex's (metrics/ledger.ts): each client with an active matching filter
 * receives a message once (overlapping filters of one client count once, at the highest of their QoS), each
 * matching `$share` group with an active member receives it once, and the delivery QoS is the lowest of the
 * publish QoS, the subscription's QoS and the QoS the broker granted (SUBACK).
 */
import { topicMatches } from '../mqtt/topic.js';
import type { QoS } from '../mqtt/protocol.js';
import { NOT_OFFERED, NOT_RECEIVABLE, type QosCounts, type Receivable } from '../metrics/ledger.js';
import type { AwayNotes } from '../metrics/sessions.js';
import { candidateOf, type SubscriptionRule } from './subscriptionRules.js';

/** What a publisher asks: the deliveries one message should produce now (SubscriptionIndex or RuleIndex). */
export interface DeliveryIndex {
  /**
   * `noteAway: false` counts without noting deliveries owed to away sessions (a will, not a publish). The
   * counts may be an array the index reuses (RuleIndex: nothing allocated per message): read them before the next call.
   */
  expectedFor(topic: string, publishQos: QoS, receivable: Receivable, noteAway?: boolean): QosCounts;
  away: AwayNotes | null;
}

/** One group's subscriptions matching a topic: filters every client holds, and filters of single clients. */
interface GroupHits {
  slotBase: number;
  filters: number;
  count: number;
  allK: number[];
  allQos: QoS[];
  /** Clients (ascending) with their own matching filters. */
  oneI: number[];
  oneK: number[][];
  oneQos: QoS[][];
}

/** Members of one `$share` group matching a topic: clients [first, first + count) of a group, filter k. */
interface ShareMember {
  slotBase: number;
  filters: number;
  k: number;
  qos: QoS;
  first: number;
  count: number;
}

interface Receivers {
  groups: GroupHits[];
  shares: ShareMember[][];
}

const CACHE_MAX = 100_000;

export class RuleIndex implements DeliveryIndex {
  private readonly plain: SubscriptionRule[];
  private readonly shared = new Map<string, SubscriptionRule[]>();
  private cache = new Map<string, Receivers>();
  away: AwayNotes | null = null;
  // The best active subscription of the client (or share group) being counted.
  private best = -1;
  private at = -1;
  private notOffered = false;
  /** The counts expectedFor returns (reused: read before the next call). */
  private readonly out: QosCounts = [0, 0, 0, 0];

  constructor(rules: SubscriptionRule[]) {
    this.plain = rules.filter((r) => r.share === undefined);
    for (const r of rules) {
      if (r.share === undefined) continue;
      const list = this.shared.get(r.share) ?? [];
      list.push(r);
      this.shared.set(r.share, list);
    }
  }

  expectedFor(topic: string, publishQos: QoS, receivable: Receivable, noteAway = true): QosCounts {
    const r = this.receivers(topic);
    const out = this.out;
    out[0] = out[1] = out[2] = out[3] = 0;
    const away = noteAway ? this.away : null;
    for (const h of r.groups) this.countGroup(out, h, publishQos, receivable, away);
    for (const members of r.shares) {
      this.reset();
      for (const m of members) {
        for (let i = m.first; i < m.first + m.count; i++) this.consider(receivable, m.slotBase + i * m.filters + m.k, m.qos);
      }
      this.finish(out, publishQos, null);
    }
    return out;
  }

  private countGroup(out: QosCounts, h: GroupHits, publishQos: QoS, receivable: Receivable, away: AwayNotes | null): void {
    if (h.allK.length === 0) {
      for (let j = 0; j < h.oneI.length; j++) {
        this.reset();
        const base = h.slotBase + h.oneI[j] * h.filters;
        for (let x = 0; x < h.oneK[j].length; x++) this.consider(receivable, base + h.oneK[j][x], h.oneQos[j][x]);
        this.finish(out, publishQos, away);
      }
      return;
    }
    let j = 0;
    for (let i = 0; i < h.count; i++) {
      this.reset();
      const base = h.slotBase + i * h.filters;
      for (let x = 0; x < h.allK.length; x++) this.consider(receivable, base + h.allK[x], h.allQos[x]);
      if (j < h.oneI.length && h.oneI[j] === i) {
        for (let x = 0; x < h.oneK[j].length; x++) this.consider(receivable, base + h.oneK[j][x], h.oneQos[j][x]);
        j++;
      }
      this.finish(out, publishQos, away);
    }
  }

  private reset(): void {
    this.best = -1;
    this.at = -1;
    this.notOffered = false;
  }

  private consider(receivable: Receivable, slot: number, qos: QoS): void {
    const b = receivable[slot];
    if (b === NOT_RECEIVABLE) return;
    if (b === NOT_OFFERED) this.notOffered = true;
    else if (Math.min(qos, b - 1) > this.best) {
      this.best = Math.min(qos, b - 1);
      this.at = slot;
    }
  }

  /** One delivery at the best active QoS, else one not-offered delivery (see ledger.ts `add`). */
  private finish(out: QosCounts, publishQos: QoS, away: AwayNotes | null): void {
    if (this.best >= 0) {
      const q = Math.min(this.best, publishQos);
      out[q]++;
      away?.note(this.at, q);
    } else if (this.notOffered) out[3]++;
  }

  private receivers(topic: string): Receivers {
    const hit = this.cache.get(topic);
    if (hit) return hit;
    const byGroup = new Map<number, { hits: GroupHits; one: Map<number, { k: number[]; qos: QoS[] }> }>();
    const groupOf = (r: SubscriptionRule) => {
      let g = byGroup.get(r.group);
      if (!g)
        byGroup.set(
          r.group,
          (g = { hits: { slotBase: r.slotBase, filters: r.filters, count: r.count, allK: [], allQos: [], oneI: [], oneK: [], oneQos: [] }, one: new Map() }),
        );
      return g;
    };
    const addOne = (r: SubscriptionRule, i: number) => {
      const g = groupOf(r);
      const e = g.one.get(i) ?? { k: [], qos: [] };
      e.k.push(r.k);
      e.qos.push(r.qos);
      g.one.set(i, e);
    };
    for (const r of this.plain) {
      if (r.kind === 'constant') {
        if (topicMatches(r.filter, topic)) {
          const g = groupOf(r).hits;
          g.allK.push(r.k);
          g.allQos.push(r.qos);
        }
      } else this.forEachClient(r, topic, (i) => addOne(r, i));
    }
    const groups = [...byGroup.values()].map(({ hits, one }) => {
      for (const i of [...one.keys()].sort((a, b) => a - b)) {
        hits.oneI.push(i);
        hits.oneK.push(one.get(i)!.k);
        hits.oneQos.push(one.get(i)!.qos);
      }
      return hits;
    });
    const shares: ShareMember[][] = [];
    for (const rules of this.shared.values()) {
      const members: ShareMember[] = [];
      for (const r of rules) {
        const m = { slotBase: r.slotBase, filters: r.filters, k: r.k, qos: r.qos };
        if (r.kind === 'constant') {
          if (topicMatches(r.filter, topic)) members.push({ ...m, first: 0, count: r.count });
        } else this.forEachClient(r, topic, (i) => members.push({ ...m, first: i, count: 1 }));
      }
      if (members.length > 0) shares.push(members);
    }
    const r: Receivers = { groups, shares };
    if (this.cache.size > CACHE_MAX) this.cache.clear();
    this.cache.set(topic, r);
    return r;
  }

  /** Clients of a per-client rule whose filter matches `topic`. */
  private forEachClient(r: SubscriptionRule, topic: string, fn: (i: number) => void): void {
    if (r.kind === 'indexed') {
      const i = candidateOf(r, topic);
      if (i >= 0 && topicMatches(r.render(i), topic)) fn(i);
    } else if (r.kind === 'listed') {
      for (let i = 0; i < r.filterOf.length; i++) {
        const f = r.filterOf[i];
        if (f !== null && topicMatches(f, topic)) fn(i);
      }
    }
  }
}
