import { Readable } from 'node:stream';
import type { IClientOptions, IStore, MqttClient } from 'mqtt';
import { failHeld, markWritten } from './held.js';
import type { WriteLedger } from './writeLedger.js';
import { SessionEnded, type OutboundSession } from './driver.js';

type Packet = Parameters<IStore['put']>[0];
/** The callback mqtt.js keeps in `client.outgoing[id].cb` for a QoS 1/2 publish (the driver's wrapper around `done`). */
export type MqttCb = (err?: Error | null, packet?: unknown) => void;
type IdProvider = NonNullable<IClientOptions['messageIdProvider']>;

class Held {
  written = false;
  constructor(
    /** The PUBLISH as mqtt.js stored it, then the PUBREL that replaced it once PUBREC came. */
    public packet: Packet,
    readonly cb: MqttCb,
    /** Its position in the output of the connection that sent it (written once that ledger's writtenPos reaches it). */
    public pos: number,
  ) {}
}

/**
 * The mqtt.js driver's outbound session. It is the `outgoingStore` (and `messageIdProvider`) of every
 * MqttClient the device opens: mqtt.js puts each QoS 1/2 PUBLISH here (replaced by its PUBREL after
 * PUBREC), deletes it on completion, and on CONNACK reads `createStream()` and re-sends what it yields,
 * one at a time, each waiting for its ack, before it emits 'connect'. Here that stream yields the held
 * packets only when the broker resumed the session (CONNACK session present = 1) — with DUP = 1 for
 * publishes that were written (mqtt.js would re-send them with DUP = 0) — after putting each one's
 * callback back into the new client's `outgoing`, so the original `done` completes it. Otherwise they
 * fail (SessionEnded, or NotSent for what never left) and the stream is empty.
 * Packet ids skip ids held here, also across clients.
 */
export class MqttjsSession implements OutboundSession, IStore, IdProvider {
  private readonly held = new Map<number, Held>();
  private client: MqttClient | null = null;
  private ledger: WriteLedger | null = null;
  /** The broker may keep the session after the connection (set per connection). */
  resumable = false;
  /** The Held of the last PUBLISH stored: publish() takes it right after client.publish(). */
  private last: Held | null = null;
  private nextId = 1;
  private lastId: number | null = null;
  private readonly inUse = new Set<number>();

  pending(): number {
    return this.held.size;
  }

  abandon(err: Error): void {
    this.fail(err);
  }

  /** The client of the connection being opened (mqtt.js calls this store from inside it). */
  attach(client: MqttClient, ledger: WriteLedger, resumable: boolean): void {
    this.client = client;
    this.ledger = ledger;
    this.resumable = resumable;
  }

  /** The connection closed: remember which publishes it wrote; they wait for the next connect (or fail: not resumable). */
  detach(client: MqttClient): void {
    if (this.client !== client) return;
    this.markWritten();
    this.client = null;
    this.ledger = null;
    if (!this.resumable) this.fail(new SessionEnded('session ended before the ack: the connection closed (clean session)'));
  }

  /** The stored entry of the publish just handed to mqtt.js (null if mqtt.js queued it instead). */
  takeLast(): Held | null {
    const h = this.last;
    this.last = null;
    return h;
  }

  holds(h: Held): boolean {
    return this.held.get(h.packet.messageId!) === h;
  }

  // ---- IStore ----------------------------------------------------------------------------------

  put(packet: Packet, cb: (err?: Error) => void): this {
    const id = packet.messageId!;
    const h = this.held.get(id);
    if (h !== undefined)
      h.packet = packet; // the PUBREL after PUBREC (a Map keeps the first place)
    else {
      const n = new Held(packet, (this.client?.outgoing[id]?.cb as MqttCb | undefined) ?? noop, Infinity); // its position follows (takeLast)
      this.held.set(id, n);
      this.last = n;
    }
    cb?.();
    return this;
  }

  del(packet: Pick<Packet, 'messageId'>, cb: (err?: Error, packet?: Packet) => void): this {
    const h = this.held.get(packet.messageId!);
    if (h === undefined) cb?.(new Error('missing packet'));
    else {
      this.held.delete(packet.messageId!);
      cb?.(undefined, h.packet);
    }
    return this;
  }

  get(packet: Pick<Packet, 'messageId'>, cb: (err?: Error, packet?: Packet) => void): this {
    const h = this.held.get(packet.messageId!);
    if (h === undefined) cb?.(new Error('missing packet'));
    else cb?.(undefined, h.packet);
    return this;
  }

  createStream(): ReturnType<IStore['createStream']> {
    const c = this.client;
    const out: Packet[] = [];
    if (c !== null && this.held.size > 0) {
      // mqtt.js sets connackPacket (private in its types) just before it reads this stream.
      const connack = (c as unknown as { connackPacket?: { sessionPresent?: boolean } }).connackPacket;
      if (this.resumable && connack?.sessionPresent === true) {
        for (const [id, h] of this.held) {
          c.outgoing[id] = { volatile: false, cmd: h.packet.cmd as 'publish', cb: h.cb };
          out.push(h.packet.cmd === 'publish' ? { ...h.packet, dup: h.written } : h.packet);
        }
      } else {
        this.fail(new SessionEnded('session ended before the ack: the broker did not resume the session (CONNACK session present = 0)'));
      }
    }
    return Readable.from(out) as unknown as ReturnType<IStore['createStream']>;
  }

  close(cb: () => void): void {
    cb?.(); // the session outlives the client
  }

  // ---- IMessageIdProvider ----------------------------------------------------------------------

  allocate(): number | null {
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (!this.held.has(id) && !this.inUse.has(id)) {
        this.inUse.add(id);
        this.lastId = id;
        return id;
      }
    }
    return null;
  }

  getLastAllocated(): number | null {
    return this.lastId;
  }

  register(id: number): boolean {
    if (this.inUse.has(id)) return false;
    this.inUse.add(id);
    return true;
  }

  deallocate(id: number): void {
    this.inUse.delete(id);
  }

  clear(): void {
    this.inUse.clear();
  }

  // ---- failing ---------------------------------------------------------------------------------

  /** Fails everything held: `err` for what was written, NotSent for what never left. */
  private fail(err: Error): void {
    failHeld(this.held, this.ledger, err, (h, e) => h.cb(e));
  }

  private markWritten(): void {
    markWritten(this.held.values(), this.ledger);
  }
}

function noop(): void {}
