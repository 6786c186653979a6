import type { QoS } from '../../scenario/model.js';
import type { Clock } from '../../shared/clock.js';
import { NotSent, type Connection, type ConnectionEvents, type ConnectOptions, type Granted, type PublishDone } from '../driver.js';
import type { MemoryBroker } from './broker.js';
import type { ClientEnd, Link } from './brokerSession.js';
import { finish, MemorySession } from './clientSession.js';
import type { MemoryCounts } from './counts.js';
import { later, type Arrival, type MemoryOptions } from './options.js';
import { Uplink, type Frame } from './uplink.js';

/** What a connection shares with its driver. */
export interface MemoryContext {
  clock: Clock;
  o: MemoryOptions;
  counts: MemoryCounts;
  broker: MemoryBroker;
  log: Arrival[] | null;
}

const NOT_SENT = new NotSent('not sent: the connection closed before it was written');
/** A caller that ignores writable() is refused (NotSent) once this many payload bytes wait unwritten, as the real drivers do. */
export const MAX_UNWRITTEN_BYTES = 8 * 1024 * 1024;
const BUFFER_FULL = new NotSent('not sent: the send buffer is full (8 MiB waiting)');
/** end() waits at most this long (clock ms) for the output to be written, then closes anyway. */
export const END_BOUND_MS = 2000;

/**
 * The client side of one memory connection, honouring the driver contract (driver/driver.ts): frames to
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
  /** end() was called: nothing new is taken, and no loss is reported. */
  private closing = false;
  private ending: Promise<void> | null = null;
  private ended: (() => void) | null = null;
  private readonly wire: Uplink;
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
    this.wire = new Uplink(
      x.clock,
      x.o,
      x.counts,
      (f) => this.write(f),
      () => this.events.onDrain?.(),
    );
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
      if (h.rec) this.wire.push({ k: 'pubrel', due: 0, id: h.id, resend: true });
      else this.wire.push({ k: 'pub', due: 0, h, dup: h.sent, resend: true });
    }
  }

  // ---- Connection ------------------------------------------------------------------------

  writable(): boolean {
    return this.isOpen && !this.closing && this.wire.writable();
  }

  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone): void {
    this.x.counts.publishes++;
    if (!this.isOpen || this.closing) return finish(this.x.counts, done, NOT_SENT);
    if (this.wire.unwrittenBytes > MAX_UNWRITTEN_BYTES) return finish(this.x.counts, done, BUFFER_FULL);
    if (qos === 0) return this.wire.push({ k: 'pub0', due: 0, topic, payload, retain, done }, true);
    const h = this.session.add(topic, payload, qos, retain, done);
    if (h === null) return finish(this.x.counts, done, new Error('no free packet id: 65,535 messages in flight'));
    this.wire.push({ k: 'pub', due: 0, h, dup: false, resend: false }, true);
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
    if (!this.isOpen || this.closing) return Promise.reject(new Error('not connected'));
    return new Promise<T>((resolve, reject) => {
      this.waits.add(reject);
      later(this.x.clock, this.x.o.controlDelayMs ?? 0, () => {
        if (!this.waits.delete(reject)) return;
        resolve(atBroker());
        if (after) queueMicrotask(after);
      });
    });
  }

  /** Graceful: waits (at most END_BOUND_MS) until the output is written, then closes; what is left gets NotSent. */
  end(): Promise<void> {
    if (this.ending) return this.ending;
    if (!this.isOpen) return Promise.resolve();
    this.closing = true;
    this.x.counts.ended++;
    this.ending = new Promise<void>((resolve) => (this.ended = resolve));
    if (this.wire.waiting() === 0) this.close();
    else {
      this.wire.onEmpty = () => this.close();
      later(this.x.clock, END_BOUND_MS, () => this.close());
    }
    return this.ending;
  }

  destroy(): void {
    if (!this.isOpen) return;
    this.x.counts.destroyed++;
    this.close();
  }

  // ---- scripted back-pressure ------------------------------------------------------------

  /** The broker stops reading: nothing more is written, writable() is false until drain(). */
  stall(): void {
    if (this.isOpen) this.wire.stall();
  }

  /** The broker reads again: what is due is written, and onDrain runs once writable() is true. */
  drain(): void {
    if (this.isOpen) this.wire.drain();
  }

  /** Hands one frame to the broker. */
  private write(f: Frame): void {
    const b = this.x.broker;
    if (f.k === 'pub0') {
      b.publish(this.link, f.topic, f.payload, 0, f.retain, 0, false);
      finish(this.x.counts, f.done);
    } else if (f.k === 'pub') {
      const h = f.h;
      if (this.session.held.get(h.id) !== h) return; // abandoned meanwhile
      if (f.resend) this.x.counts[f.dup ? 'resent' : 'resentUnwritten']++;
      h.sent = true;
      b.publish(this.link, h.topic, h.payload, h.qos, h.retain, h.id, f.dup);
    } else if (f.k === 'pubrel') {
      if (f.resend) this.x.counts.pubrelResent++;
      b.pubrel(this.link, f.id);
    } else b.clientAck(this.link, f.what, f.id);
  }

  // ---- ClientEnd: what the broker sends ------------------------------------------------------

  receivePublish(topic: string, payload: Buffer, qos: QoS, retained: boolean, id: number, dup: boolean): void {
    if (qos === 1) this.wire.push({ k: 'ack', due: 0, what: 'PUBACK', id });
    else if (qos === 2) {
      this.wire.push({ k: 'ack', due: 0, what: 'PUBREC', id });
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
      this.wire.push({ k: 'pubrel', due: 0, id, resend: false });
    } else this.session.complete(id, what, refusal);
  }

  receivePubrel(id: number): void {
    this.q2In.delete(id);
    this.wire.push({ k: 'ack', due: 0, what: 'PUBCOMP', id });
  }

  closedByBroker(reason: string): void {
    this.close(reason);
  }

  /** Closes; onLost(reason) first when the broker closed it, then what waited fails (as the lean driver does). */
  private close(lostReason?: string): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.x.broker.detach(this.link);
    if (lostReason !== undefined && !this.closing) this.events.onLost(lostReason);
    const waits = [...this.waits];
    this.waits.clear();
    for (const reject of waits) reject(new Error('connection closed before the broker answered'));
    for (const f of this.wire.close()) if (f.k === 'pub0') finish(this.x.counts, f.done, NOT_SENT);
    if (!this.resumable) this.session.end('the connection closed (clean session)');
    this.ended?.();
  }
}
