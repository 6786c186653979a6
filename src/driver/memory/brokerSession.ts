import type { QoS } from '../../scenario/types.js';
import { Flight } from './flight.js';

/** What the broker calls on a client connection (MemoryConnection implements it). */
export interface ClientEnd {
  readonly clientId: string;
  readonly v5: boolean;
  receivePublish(topic: string, payload: Buffer, qos: QoS, retained: boolean, packetId: number, dup: boolean): void;
  /** PUBACK / PUBREC / PUBCOMP for a publish of ours; `refusal` names a reason code >= 0x80. */
  receiveAck(what: 'PUBACK' | 'PUBREC' | 'PUBCOMP', packetId: number, refusal?: string): void;
  receivePubrel(packetId: number): void;
  /** The broker (or the network) closed the connection. */
  closedByBroker(reason: string): void;
}

/** A subscription of a session. */
export interface Sub {
  filter: string;
  qos: QoS;
  /** "$share/<group>/<filter>" taken as a shared subscription. */
  shared: { group: string; filter: string } | null;
  /** "$share/…" taken as a plain topic filter (a broker without shared subscriptions). */
  literal: boolean;
}

/** The broker's side of one open connection. */
export class Link {
  open = true;
  /** QoS 1/2 publishes of this client the broker has not yet sent its final ack for (Receive Maximum). */
  readonly unacked = new Set<number>();
  constructor(
    readonly client: ClientEnd,
    readonly session: BrokerSession,
  ) {}
}

/** What the broker keeps for one client id: subscriptions, copies to deliver, QoS 2 ids received. */
export class BrokerSession {
  readonly subs = new Map<string, Sub>();
  /** QoS 1/2 copies not yet completed by the client, in the order they were routed. */
  readonly out = new Map<number, Flight>();
  /** QoS 2 ids received from the client and not yet released (PUBREL): a resend is not routed again. */
  readonly q2In = new Set<number>();
  link: Link | null = null;
  /** How long the session outlives its connection: 0 = not at all, Infinity = until a clean start. */
  expirySec = 0;
  expiryTimer: unknown = null;
  private nextId = 1;

  constructor(readonly clientId: string) {}

  /** A new QoS 1/2 copy with a packet id not in use; null when all 65,535 are (the copy is dropped). */
  add(topic: string, payload: Buffer, qos: QoS, retained: boolean): Flight | null {
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (this.out.has(id)) continue;
      const c = new Flight(id, topic, payload, qos, retained);
      this.out.set(id, c);
      return c;
    }
    return null;
  }
}
