import type { QoS } from '../../scenario/types.js';
import type { Clock } from '../../shared/clock.js';
import { NotSent, type Connection, type ConnectionEvents, type ConnectOptions, type Granted, type PublishDone } from '../types.js';
import type { MemoryBroker } from './broker.js';
import type { ClientEnd, Link } from './brokerSession.js';
import { finish, MemorySession, type Held } from './clientSession.js';
import type { MemoryCounts } from './counts.js';
import { later, type Arrival, type MemoryOptions } from './options.js';

/** What a connection shares with its driver. */
export interface MemoryContext {
  clock: Clock;
  o: MemoryOptions;
  counts: MemoryCounts;
  broker: MemoryBroker;
  log: Arrival[] | null;
}

/** A frame on its way from the client to the broker ("the socket"), written once `due`. */
type Frame =
  | { k: 'pub0'; due: number; topic: string; payload: Buffer; retain: boolean; done: PublishDone }
  | { k: 'pub'; due: number; h: Held; dup: boolean; resend: boolean }
  | { k: 'pubrel'; due: number; id: number; resend: boolean }
  | { k: 'ack'; due: number; what: 'PUBACK' | 'PUBREC' | 'PUBCOMP'; id: number };

const NOT_SENT = new NotSent('not sent: the connection closed before it was written');

/**
 * The client side of one memory connection, honouring the driver contract (driver/types.ts): frames to
 * the broker wait `writeDelayMs` in order (a stall holds them: writable() is false until drain()); QoS 0
 * `done` once written; QoS 1/2 held in the outbound session until PUBACK / PUBCOMP, re-sent with DUP on a
 * resumed session; incoming QoS 2 handed to onMessage once per packet id until PUBREL.
 */
export class MemoryConnection implements Connection, ClientEnd {
  readonly clientId: string;
  readonly v5: boolean;
  readonly sessionPresent: boolean;
  readonly receiveMaximum?: number;
  readonly link: Link;
  private isOpen = true;
  private stalled = false;
  private wasFull = false;
  private flushing = false;
  private readonly wire: Frame[] = [];
  private unwritten = 0;
  private readonly q2In = new Set<number>();
  private readonly session: MemorySession;
  /** The broker may keep the session after this connection: held publishes wait for the next connect. */
  private readonly resumable: boolean;
  private readonly waits = new Set<(err: Error) => void>();

  constructor(
    private readonly x: MemoryContext,
    readonly opts: ConnectOptions,
    private readonly events: ConnectionEvents,
  ) {
    this.clientId = opts.clientId;
    this.v5 = opts.protocolVersion === 5;
    if (this.v5 && x.o.receiveMaximum !== undefined) this.receiveMaximum = x.o.receiveMaximum;
    this.resumable = opts.session !== undefined && !opts.clean && (!this.v5 || (opts.sessionExpirySec ?? 0) > 0);
    this.session = (opts.session as MemorySession | undefined) ?? new MemorySession(x.counts);
    const { link, present } = x.broker.open(opts, this);
    this.link = link;
    this.sessionPresent = present;
    if (opts.session === undefined) return;
    if (!present) {
      this.session.end('CONNACK session-present = 0');
      return;
    }
    for (const h of this.session.held.values()) {
      if (h.rec) this.push({ k: 'pubrel', due: 0, id: h.id, resend: true });
      else this.push({ k: 'pub', due: 0, h, dup: h.written, resend: true });
    }
  }

  // ---- Connection ------------------------------------------------------------------------

  writable(): boolean {
    return this.isOpen && !this.stalled && (this.x.o.highWater === undefined || this.unwritten < this.x.o.highWater);
  }

  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone): void {
    this.x.counts.publishes++;
    if (!this.isOpen) return finish(this.x.counts, done, NOT_SENT);
    if (qos === 0) this.push({ k: 'pub0', due: 0, topic, payload, retain, done });
    else {
      const h = this.session.add(topic, payload, qos, retain, done);
      if (h === null) return finish(this.x.counts, done, new Error('no free packet id: 65,535 messages in flight'));
      this.push({ k: 'pub', due: 0, h, dup: false, resend: false });
    }
    this.unwritten++;
    if (!this.writable()) this.wasFull = true;
  }

  inflight(): number {
    return this.session.pending();
  }

  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]> {
    // Retained messages follow the SUBACK (after the subscriber's continuation ran).
    return this.control(
      () => this.x.broker.subscribe(this.link, filters),
      () => this.x.broker.sendRetained(this.link, filters),
    );
  }

  unsubscribe(topics: string[]): Promise<void> {
    return this.control(() => this.x.broker.unsubscribe(this.link, topics));
  }

  /** A request the broker answers after controlDelayMs (rejected if the connection closes first). */
  private control<T>(atBroker: () => T, after?: () => void): Promise<T> {
    if (!this.isOpen) return Promise.reject(new Error('not connected'));
    return new Promise<T>((resolve, reject) => {
      this.waits.add(reject);
      later(this.x.clock, this.x.o.controlDelayMs ?? 0, () => {
        if (!this.waits.delete(reject)) return;
        resolve(atBroker());
        if (after) queueMicrotask(after);
      });
    });
  }

  end(): Promise<void> {
    if (this.isOpen) {
      this.x.counts.ended++;
      if (!this.stalled) this.write(Infinity);
      this.close();
    }
    return Promise.resolve();
  }

  destroy(): void {
    if (!this.isOpen) return;
    this.x.counts.destroyed++;
    this.close();
  }

  // ---- scripted back-pressure ------------------------------------------------------------

  /** The broker stops reading: nothing more is written, writable() is false until drain(). */
  stall(): void {
    if (!this.isOpen || this.stalled) return;
    this.stalled = true;
    this.wasFull = true;
    this.x.counts.stalls++;
  }

  /** The broker reads again: what is due is written, and onDrain runs once writable() is true. */
  drain(): void {
    if (!this.isOpen || !this.stalled) return;
    this.stalled = false;
    this.x.counts.drains++;
    this.flush();
  }

  // ---- the wire to the broker --------------------------------------------------------------

  private push(f: Frame): void {
    f.due = this.x.clock.now() + (this.x.o.writeDelayMs ?? 0);
    this.wire.push(f);
    if (this.wire.length === 1) this.schedule();
  }

  private schedule(): void {
    if (this.flushing || this.stalled || this.wire.length === 0) return;
    this.flushing = true;
    later(this.x.clock, this.wire[0].due - this.x.clock.now(), () => {
      this.flushing = false;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.isOpen || this.stalled) return;
    this.write(this.x.clock.now());
    this.schedule();
    if (this.wasFull && this.writable()) {
      this.wasFull = false;
      this.x.counts.drainEvents++;
      this.events.onDrain?.();
    }
  }

  /** Hands every frame due by `until` to the broker, in order. */
  private write(until: number): void {
    const b = this.x.broker;
    while (this.wire.length > 0 && this.wire[0].due <= until && this.isOpen) {
      const f = this.wire.shift()!;
      if (f.k === 'pub0') {
        this.unwritten--;
        b.publish(this.link, f.topic, f.payload, 0, f.retain, 0, false);
        finish(this.x.counts, f.done);
      } else if (f.k === 'pub') {
        const h = f.h;
        if (!f.resend) this.unwritten--;
        if (this.session.held.get(h.id) !== h) continue; // abandoned meanwhile
        if (f.resend) this.x.counts[f.dup ? 'resent' : 'resentUnwritten']++;
        h.written = true;
        b.publish(this.link, h.topic, h.payload, h.qos, h.retain, h.id, f.dup);
      } else if (f.k === 'pubrel') {
        if (f.resend) this.x.counts.pubrelResent++;
        b.pubrel(this.link, f.id);
      } else b.clientAck(this.link, f.what, f.id);
    }
  }

  // ---- ClientEnd: what the broker sends ------------------------------------------------------

  receivePublish(topic: string, payload: Buffer, qos: QoS, retained: boolean, id: number, dup: boolean): void {
    if (qos === 1) this.push({ k: 'ack', due: 0, what: 'PUBACK', id });
    else if (qos === 2) {
      this.push({ k: 'ack', due: 0, what: 'PUBREC', id });
      if (this.q2In.has(id)) {
        this.x.counts.qos2DuplicatesIgnored++;
        return;
      }
      this.q2In.add(id);
    }
    const c = this.x.counts;
    c.delivered++;
    if (retained) c.retainedDelivered++;
    this.x.log?.push({ clientId: this.clientId, topic, payload, qos, retained, dup, at: this.x.clock.now() });
    this.events.onMessage(topic, payload, qos, retained);
  }

  receiveAck(what: 'PUBACK' | 'PUBREC' | 'PUBCOMP', id: number, refusal?: string): void {
    const h = this.session.held.get(id);
    if (what === 'PUBREC' && refusal === undefined && h !== undefined && h.qos === 2) {
      h.rec = true;
      this.push({ k: 'pubrel', due: 0, id, resend: false });
    } else this.session.complete(id, what, refusal);
  }

  receivePubrel(id: number): void {
    this.q2In.delete(id);
    this.push({ k: 'ack', due: 0, what: 'PUBCOMP', id });
  }

  closedByBroker(reason: string): void {
    this.close(reason);
  }

  /** Closes; onLost(reason) first when the broker closed it, then what waited fails (as the lean driver does). */
  private close(lostReason?: string): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.x.broker.detach(this.link);
    if (lostReason !== undefined) this.events.onLost(lostReason);
    const waits = [...this.waits];
    this.waits.clear();
    for (const reject of waits) reject(new Error('connection closed before the broker answered'));
    const wire = this.wire.splice(0);
    this.unwritten = 0;
    for (const f of wire) if (f.k === 'pub0') finish(this.x.counts, f.done, NOT_SENT);
    if (!this.resumable) this.session.end('the connection closed (clean session)');
  }
}
