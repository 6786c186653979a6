import { parseShared, topicMatches } from '../../mqtt/topic.js';
import type { QoS } from '../../scenario/model.js';
import type { Granted } from '../driver.js';
import type { BrokerSession, Sub } from './brokerSession.js';
import { Flight } from './flight.js';
import type { MemoryCounts } from './counts.js';
import type { Downlink } from './downlink.js';
import { firstTaking, type Faults } from './faults.js';
import type { MemoryOptions } from './options.js';

/** A stored retained message. */
export interface Retained {
  topic: string;
  payload: Buffer;
  qos: QoS;
}

/** The members of one "$share/<group>/<filter>", served round-robin. */
interface Group {
  filter: string;
  members: BrokerSession[];
  next: number;
}

function matches(sub: Sub, topic: string): boolean {
  // A "$share/…" filter taken as a plain filter: prefixing one level to both keeps the MQTT matching rules.
  return sub.literal ? topicMatches(`l/${sub.filter}`, `l/${topic}`) : topicMatches(sub.filter, topic);
}

const min = (a: QoS, b: QoS): QoS => (a < b ? a : b);

/**
 * Subscriptions, shared groups and retained messages: who gets a copy of a message, at which QoS.
 * A client gets one copy per message for all its matching plain filters (or one per filter, with
 * overlap 'perSubscription'); each matching shared group gives one member a copy, round-robin among the
 * connected members (or the next member, queued, when none is connected).
 */
export class Router {
  readonly retained = new Map<string, Retained>();
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly o: MemoryOptions,
    private readonly counts: MemoryCounts,
    private readonly downlink: Downlink,
    private readonly sessions: ReadonlyMap<string, BrokerSession>,
    private readonly faults: Faults,
  ) {}

  /** SUBSCRIBE of one filter: the QoS granted (or 128), as the broker's capabilities allow. */
  grant(s: BrokerSession, filter: string, asked: QoS): Granted {
    this.counts.subscribed++;
    const shared = parseShared(filter);
    const mode = this.o.sharedSubscriptions ?? 'yes';
    if (this.o.refuseFilter?.(filter) || (shared !== null && mode === 'refuse')) {
      this.counts.subRefused++;
      return 128;
    }
    const qos = min(asked, this.o.maxQoS ?? 2);
    if (qos < asked) this.counts.downgraded++;
    else this.counts.granted++;
    const sub: Sub = { filter, qos, shared: mode === 'yes' ? shared : null, literal: shared !== null && mode === 'literal' };
    if (s.subs.get(filter)?.shared) this.leave(s, filter);
    s.subs.set(filter, sub);
    if (sub.shared) {
      let g = this.groups.get(filter);
      if (!g) this.groups.set(filter, (g = { filter, members: [], next: 0 }));
      g.members.push(s);
    }
    return qos;
  }

  /** The retained messages a new subscription gets (none for shared ones, none to wildcards if not offered). */
  sendRetained(s: BrokerSession, filter: string): void {
    const sub = s.subs.get(filter);
    if (!sub || sub.shared) return;
    if (this.o.retainedToWildcards === false && /[+#]/.test(filter)) return;
    for (const r of this.retained.values()) if (matches(sub, r.topic)) this.enqueue(s, r.topic, r.payload, min(r.qos, sub.qos), true);
  }

  /** UNSUBSCRIBE of one filter; whether the session had it. */
  remove(s: BrokerSession, filter: string): boolean {
    if (s.subs.get(filter)?.shared) this.leave(s, filter);
    return s.subs.delete(filter);
  }

  /** The session ended: it leaves every shared group. */
  leaveAll(s: BrokerSession): void {
    for (const sub of s.subs.values()) if (sub.shared) this.leave(s, sub.filter);
  }

  private leave(s: BrokerSession, filter: string): void {
    const g = this.groups.get(filter);
    if (!g) return;
    const i = g.members.indexOf(s);
    if (i < 0) return;
    g.members.splice(i, 1);
    if (i < g.next) g.next--;
    if (g.members.length === 0) this.groups.delete(filter);
  }

  /** A message the broker accepted: stored if retained, and a copy for every subscriber. */
  route(topic: string, payload: Buffer, qos: QoS, retain: boolean): void {
    this.counts.accepted++;
    if (retain) {
      if (payload.length > 0) {
        this.retained.set(topic, { topic, payload, qos });
        this.counts.retainedStored++;
      } else if (this.retained.delete(topic)) this.counts.retainedCleared++;
    }
    const perSub = this.o.overlap === 'perSubscription';
    for (const s of this.sessions.values()) {
      let best = -1;
      for (const sub of s.subs.values()) {
        if (sub.shared || !matches(sub, topic)) continue;
        if (perSub) this.enqueue(s, topic, payload, min(qos, sub.qos), false);
        else if (sub.qos > best) best = sub.qos;
      }
      if (best >= 0) this.enqueue(s, topic, payload, min(qos, best as QoS), false);
    }
    for (const g of this.groups.values()) {
      if (!topicMatches(g.filter, topic)) continue;
      const s = this.pick(g);
      this.enqueue(s, topic, payload, min(qos, s.subs.get(g.filter)!.qos), false);
      if (g.members.length < 2 || !firstTaking(this.faults.shareTwiceRules, { clientId: s.clientId, filter: g.filter, topic, payload, qos })) continue;
      this.counts.sharedTwice++;
      const also = this.pick(g);
      this.enqueue(also, topic, payload, min(qos, also.subs.get(g.filter)!.qos), false);
    }
  }

  /** The next connected member from the group's turn on (or the member whose turn it is, when none is connected). */
  private pick(g: Group): BrokerSession {
    const n = g.members.length;
    let i = g.next % n;
    for (let k = 0; k < n; k++) {
      const j = (g.next + k) % n;
      if (g.members[j].link) {
        i = j;
        break;
      }
    }
    g.next = (i + 1) % n;
    return g.members[i];
  }

  /** A copy for one session: sent now if its client is connected; QoS 1/2 kept until acknowledged. */
  enqueue(s: BrokerSession, topic: string, payload: Buffer, qos: QoS, retained: boolean): void {
    this.counts.routed++;
    const link = s.link;
    if (qos === 0) {
      if (link) this.downlink.deliver(link, new Flight(0, topic, payload, 0, retained), false);
      else this.counts.offlineDropped++;
      return;
    }
    const c = s.add(topic, payload, qos, retained);
    if (c === null) this.counts.discarded++;
    else if (link) this.downlink.deliver(link, c, false);
    else this.counts.queued++;
  }

  /** A resumed session: what its client has not completed goes out again, in order (PUBREL past PUBREC). */
  resume(s: BrokerSession): void {
    const link = s.link;
    if (!link) return;
    for (const c of s.out.values()) {
      if (c.rec) {
        this.counts.pubrelRedelivered++;
        this.downlink.pubrel(link, c.id);
      } else this.downlink.deliver(link, c, c.sent);
    }
  }
}
