import type { QoS } from '../../scenario/model.js';
import type { Clock } from '../../shared/clock.js';
import type { ConnectOptions, Granted } from '../driver.js';
import { BrokerSession, Link, type ClientEnd } from './brokerSession.js';
import type { MemoryCounts } from './counts.js';
import { Downlink } from './downlink.js';
import { firstTaking, type Faults } from './faults.js';
import type { MemoryOptions } from './options.js';
import { Router } from './routing.js';

/**
 * The in-process MQTT broker model behind the memory driver: sessions (clean or kept, MQTT 5 expiry on
 * the clock, takeover), the inbound QoS 1/2 flows (exactly once for QoS 2 by packet id), Receive
 * Maximum, and refusals. Routing is the Router's; frames to clients go through the Downlink (faults).
 */
export class MemoryBroker {
  readonly sessions = new Map<string, BrokerSession>();
  readonly downlink: Downlink;
  readonly router: Router;

  constructor(
    private readonly clock: Clock,
    private readonly o: MemoryOptions,
    private readonly counts: MemoryCounts,
    private readonly faults: Faults,
  ) {
    this.downlink = new Downlink(clock, o, counts, faults);
    this.router = new Router(o, counts, this.downlink, this.sessions, faults);
  }

  /** CONNECT accepted: the session (resumed unless a clean start) and the broker's side of the connection. */
  open(opts: ConnectOptions, client: ClientEnd): { link: Link; present: boolean } {
    const old = this.sessions.get(opts.clientId);
    if (old?.link) {
      this.counts.takeovers++;
      this.drop(old.link, client.v5 ? 'broker sent DISCONNECT: Session taken over' : 'closed by the broker or network');
    }
    let s = this.sessions.get(opts.clientId);
    const present = s !== undefined && !opts.clean;
    if (s !== undefined && !present) this.end(s);
    if (s === undefined || !present) {
      s = new BrokerSession(opts.clientId);
      this.sessions.set(opts.clientId, s);
    }
    if (s.expiryTimer !== null) {
      this.clock.clearTimeout(s.expiryTimer);
      s.expiryTimer = null;
    }
    s.expirySec = client.v5 ? (opts.sessionExpirySec ?? 0) : opts.clean ? 0 : Infinity;
    const link = new Link(client, s);
    s.link = link;
    this.counts.connects++;
    if (present) this.counts.sessionsResumed++;
    return { link, present };
  }

  /** After CONNACK: the copies the session kept go out again. */
  resume(link: Link): void {
    this.router.resume(link.session);
  }

  /** The connection closed: the session ends now, expires on the clock, or is kept. */
  detach(link: Link): void {
    if (!link.open) return;
    link.open = false;
    const s = link.session;
    if (s.link !== link) return;
    s.link = null;
    if (s.expirySec === 0) this.end(s);
    else if (s.expirySec !== Infinity) {
      s.expiryTimer = this.clock.setTimeout(() => {
        s.expiryTimer = null;
        this.counts.sessionsExpired++;
        this.end(s);
      }, s.expirySec * 1000);
    }
  }

  private end(s: BrokerSession): void {
    if (this.sessions.get(s.clientId) === s) this.sessions.delete(s.clientId);
    this.counts.discarded += s.out.size;
    s.out.clear();
    this.router.leaveAll(s);
  }

  /** The broker closes a connection (the client sees onLost(reason)). */
  drop(link: Link, reason: string): void {
    if (!link.open) return;
    this.counts.lost++;
    link.client.closedByBroker(reason);
    this.detach(link);
  }

  /** Closes the connection of `clientId`; false when it has none. */
  kill(clientId: string, reason: string): boolean {
    const link = this.sessions.get(clientId)?.link;
    if (!link) return false;
    this.drop(link, reason);
    return true;
  }

  /** A PUBLISH from a client. */
  publish(link: Link, topic: string, payload: Buffer, qos: QoS, retain: boolean, id: number, dup: boolean): void {
    if (!link.open) return;
    this.counts.written++;
    const v5 = link.client.v5;
    const max = this.o.receiveMaximum;
    if (qos > 0 && v5 && max !== undefined && !link.unacked.has(id) && link.unacked.size >= max) {
      this.counts.receiveMaximumExceeded++;
      return this.drop(link, 'broker sent DISCONNECT: Receive Maximum exceeded');
    }
    const e = { clientId: link.client.clientId, topic, payload, qos, retain, dup, packetId: id };
    if (firstTaking(this.faults.swallowRules, e)) {
      this.counts.swallowed++;
      return;
    }
    const refusal = firstTaking(this.faults.refuseRules, e);
    if (refusal) {
      this.counts.refused++;
      if (!v5) this.drop(link, 'closed by the broker right after a PUBLISH');
      else if (qos > 0) this.downlink.ack(link, qos === 1 || this.o.qos2AsQos1 ? 'PUBACK' : 'PUBREC', id, refusal.reason);
      return;
    }
    const q: QoS = qos === 2 && this.o.qos2AsQos1 ? 1 : qos;
    if (q !== qos) this.counts.qos2AsQos1++;
    if (q > 0) {
      link.unacked.add(id);
      if (link.unacked.size > this.counts.maxInflight) this.counts.maxInflight = link.unacked.size;
    }
    if (q === 2) {
      const s = link.session;
      if (s.q2In.has(id)) this.counts.inboundDuplicates++;
      else {
        s.q2In.add(id);
        this.router.route(topic, payload, 2, retain);
      }
      return this.downlink.ack(link, 'PUBREC', id);
    }
    this.router.route(topic, payload, q, retain);
    if (q === 1) this.downlink.ack(link, 'PUBACK', id);
  }

  /** PUBREL from a publisher: the QoS 2 id is released; PUBCOMP goes back. */
  pubrel(link: Link, id: number): void {
    if (!link.open) return;
    link.session.q2In.delete(id);
    this.downlink.ack(link, 'PUBCOMP', id);
  }

  /** A subscriber's PUBACK / PUBREC / PUBCOMP for a copy the broker sent it. */
  clientAck(link: Link, what: 'PUBACK' | 'PUBREC' | 'PUBCOMP', id: number): void {
    if (!link.open) return;
    const s = link.session;
    if (what !== 'PUBREC') s.out.delete(id);
    else {
      const c = s.out.get(id);
      if (c === undefined) return;
      c.rec = true;
      this.downlink.pubrel(link, id);
    }
  }

  subscribe(link: Link, filters: readonly { topic: string; qos: QoS }[]): Granted[] {
    return filters.map((f) => this.router.grant(link.session, f.topic, f.qos));
  }

  /** After SUBACK: the retained messages the new subscriptions get. */
  sendRetained(link: Link, filters: readonly { topic: string }[]): void {
    if (!link.open) return;
    for (const f of filters) this.router.sendRetained(link.session, f.topic);
  }

  unsubscribe(link: Link, topics: readonly string[]): void {
    for (const t of topics) if (this.router.remove(link.session, t)) this.counts.unsubscribed++;
  }
}
