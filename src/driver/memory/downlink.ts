import type { Clock } from '../../shared/clock.js';
import type { Link } from './brokerSession.js';
import type { Flight } from './flight.js';
import type { MemoryCounts } from './counts.js';
import { firstTaking, type AckEvent, type DeliveryEvent, type Faults } from './faults.js';
import { later, type MemoryOptions } from './options.js';

type AckWhat = 'PUBACK' | 'PUBREC' | 'PUBCOMP';

/** An ack the holdAcks fault keeps back. */
interface HeldAck {
  link: Link;
  what: AckWhat;
  id: number;
  refusal: string | undefined;
  event: AckEvent;
}

const ACK_KIND = { PUBACK: 'puback', PUBREC: 'pubrec', PUBCOMP: 'pubcomp' } as const;

/**
 * The broker's frames to its clients, through the faults: deliveries (drop / duplicate / delay),
 * acks to publishers (hold / delay), PUBRELs. A frame for a connection that closed meanwhile is lost.
 */
export class Downlink {
  private readonly heldAcks: HeldAck[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly o: MemoryOptions,
    private readonly counts: MemoryCounts,
    private readonly faults: Faults,
  ) {}

  /** Sends a copy (QoS 0: a copy with id 0 that lives only here) to the session's open connection. */
  deliver(link: Link, c: Flight, dup: boolean): void {
    const e: DeliveryEvent = { clientId: link.client.clientId, topic: c.topic, payload: c.payload, qos: c.qos, retained: c.retain, dup, packetId: c.id };
    c.sent = true;
    this.counts.sent++;
    if (dup) this.counts.redelivered++;
    const f = this.faults;
    if (firstTaking(f.dropDeliveryRules, e)) {
      this.counts.dropped++;
      return;
    }
    const delayRule = firstTaking(f.delayDeliveryRules, e);
    if (delayRule) this.counts.delayed++;
    const ms = (this.o.deliverDelayMs ?? 0) + (delayRule?.ms ?? 0);
    later(this.clock, ms, () => this.arrive(link, c, dup));
    if (firstTaking(f.duplicateDeliveryRules, e)) {
      this.counts.duplicated++;
      this.counts.sent++;
      later(this.clock, ms, () => this.arrive(link, c, true));
    }
  }

  private arrive(link: Link, c: Flight, dup: boolean): void {
    if (!link.open) this.counts.lostInTransit++;
    else link.client.receivePublish(c.topic, c.payload, c.qos, c.retain, c.id, dup);
  }

  /** PUBREL for a QoS 2 copy the client acknowledged with PUBREC. */
  pubrel(link: Link, id: number): void {
    later(this.clock, this.o.deliverDelayMs ?? 0, () => {
      if (!link.open) this.counts.lostInTransit++;
      else link.client.receivePubrel(id);
    });
  }

  /** An ack to a publisher: held back or delayed by the faults; its final ack frees its Receive Maximum slot. */
  ack(link: Link, what: AckWhat, id: number, refusal?: string): void {
    const event: AckEvent = { clientId: link.client.clientId, kind: ACK_KIND[what], packetId: id };
    if (firstTaking(this.faults.holdAckRules, event)) {
      this.counts.acksHeld++;
      this.heldAcks.push({ link, what, id, refusal, event });
      return;
    }
    this.send(link, what, id, refusal, event);
  }

  private send(link: Link, what: AckWhat, id: number, refusal: string | undefined, event: AckEvent): void {
    this.counts.acksSent++;
    const delayRule = firstTaking(this.faults.delayAckRules, event);
    if (delayRule) this.counts.acksDelayed++;
    // The delay is the broker's: the publish counts against Receive Maximum until its final ack arrives.
    later(this.clock, (this.o.ackDelayMs ?? 0) + (delayRule?.ms ?? 0), () => {
      if (what !== 'PUBREC' || refusal !== undefined) link.unacked.delete(id);
      if (!link.open) this.counts.lostInTransit++;
      else link.client.receiveAck(what, id, refusal);
    });
  }

  /** Sends the held acks `when` picks (all by default); returns how many. Acks of closed connections are dropped. */
  releaseAcks(when?: (e: AckEvent) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.heldAcks.length;) {
      const h = this.heldAcks[i];
      if (when && !when(h.event)) {
        i++;
        continue;
      }
      this.heldAcks.splice(i, 1);
      n++;
      this.counts.acksReleased++;
      if (h.link.open) this.send(h.link, h.what, h.id, h.refusal, h.event);
      else this.counts.lostInTransit++;
    }
    return n;
  }

  /** The acks held back now. */
  held(): readonly AckEvent[] {
    return this.heldAcks.map((h) => h.event);
  }
}
