/**
 * A fake Driver for component tests of the publish side (Publisher, WorkerRunner) on the fake clock.
 * It honours the driver contract (driver/driver.ts): every publish's `done` runs exactly once — QoS 0 when
 * "written", QoS 1/2 on the ack, NotSent if the connection ends before the write, SessionEnded when no
 * session can resend it, an Error for a refusal. Writes and acks take fake time; an in-process broker
 * delivers written messages to the fake subscribers (exact topics and + / # filters).
 * Not a test file itself.
 */
import {
  ConnectFailure,
  NotSent,
  SessionEnded,
  type Connection,
  type ConnectionEvents,
  type ConnectOptions,
  type Driver,
  type OutboundSession,
  type PublishDone,
} from '../driver/driver.js';
import { topicMatches } from '../mqtt/topic.js';
import type { QoS } from '../scenario/model.js';
import type { Clock } from '../shared/clock.js';

export interface FakeBrokerOptions {
  /** Fake ms from a QoS 1/2 write to its ack; Infinity: acks are held back. Default 1. */
  ackDelayMs?: number;
  /** Fake ms from publish() to the write (the socket). Default 0 (next timer turn). */
  writeDelayMs?: number;
  /** Unwritten publishes at which writable() turns false. Default: never. */
  highWater?: number;
  /** Written QoS 1/2 publishes are neither delivered nor acknowledged (the broker lost them on the way in). */
  swallow?: boolean;
  /** Refuse every QoS 1/2 publish with this reason (after the write). */
  refuse?: string;
  /** CONNACK Receive Maximum. */
  receiveMaximum?: number;
  /** Connects fail (ECONNREFUSED) while true. */
  down?: boolean;
  /** Fake ms from connect() to the CONNACK. Default 0. */
  connectDelayMs?: number;
}

interface Pending {
  topic: string;
  payload: Buffer;
  qos: QoS;
  done: PublishDone;
}

class FakeSession implements OutboundSession {
  held: Pending[] = [];
  pending(): number {
    return this.held.length;
  }
  abandon(err: Error): void {
    const held = this.held;
    this.held = [];
    for (const p of held) p.done(err);
  }
}

export class FakeConnection implements Connection {
  readonly sessionPresent: boolean;
  readonly receiveMaximum?: number;
  closed = false;
  private unwritten: Pending[] = [];
  private unacked = new Set<Pending>();
  private wasFull = false;
  readonly subs: string[] = [];

  constructor(
    private readonly broker: FakeBroker,
    readonly opts: ConnectOptions,
    readonly events: ConnectionEvents,
    private readonly session: FakeSession | undefined,
  ) {
    this.sessionPresent = session !== undefined && broker.sessions.has(opts.clientId);
    this.receiveMaximum = broker.o.receiveMaximum;
    if (session) {
      broker.sessions.add(opts.clientId);
      // Resend what the session held, first (done comes through the original callbacks).
      const held = session.held;
      session.held = [];
      broker.resent += this.sessionPresent ? held.length : 0;
      if (this.sessionPresent) for (const p of held) this.afterWrite(p);
      else for (const p of held) p.done(new SessionEnded());
    }
  }

  writable(): boolean {
    return this.unwritten.length < (this.broker.o.highWater ?? Infinity);
  }

  inflight(): number {
    let n = this.unacked.size;
    for (const p of this.unwritten) if (p.qos > 0) n++;
    return n;
  }

  async subscribe(filters: { topic: string; qos: QoS }[]): Promise<(QoS | 128)[]> {
    for (const f of filters) this.subs.push(f.topic);
    return filters.map((f) => f.qos);
  }

  async unsubscribe(topics: string[]): Promise<void> {
    for (const t of topics) this.subs.splice(this.subs.indexOf(t), 1);
  }

  publish(topic: string, payload: Buffer, qos: QoS, _retain: boolean, done: PublishDone): void {
    if (this.closed) return done(new NotSent());
    const p = { topic, payload, qos, done };
    this.unwritten.push(p);
    this.broker.publishes++;
    if (!this.writable()) this.wasFull = true;
    this.broker.maxInflight = Math.max(this.broker.maxInflight, this.inflight());
    if (this.unwritten.length === 1) this.broker.clock.setTimeout(() => this.flush(), this.broker.o.writeDelayMs ?? 0);
  }

  private flush(): void {
    if (this.closed) return;
    const batch = this.unwritten;
    this.unwritten = [];
    for (const p of batch) {
      this.broker.written++;
      if (p.qos === 0) {
        this.broker.deliver(p);
        p.done();
      } else this.afterWrite(p);
    }
    if (this.wasFull && this.writable()) this.events.onDrain?.();
    this.wasFull = false;
  }

  /** A written QoS 1/2 publish: the broker takes it (or not) and acks it (or not). */
  private afterWrite(p: Pending): void {
    const o = this.broker.o;
    this.unacked.add(p);
    if (o.swallow) {
      this.broker.swallowed++;
      return;
    }
    if (o.refuse) {
      this.unacked.delete(p);
      return p.done(new Error(`PUBACK: ${o.refuse}`));
    }
    this.broker.deliver(p);
    const ack = o.ackDelayMs ?? 1;
    if (ack !== Infinity) this.broker.clock.setTimeout(() => this.ack(p), ack);
  }

  /** Acks every written, unacknowledged publish now (e.g. after a stall). */
  ackAll(): void {
    for (const p of [...this.unacked]) this.ack(p);
  }

  private ack(p: Pending): void {
    if (this.closed || !this.unacked.delete(p)) return;
    p.done(undefined, p.qos === 1 ? 'puback' : 'pubcomp');
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.broker.conns.delete(this);
    for (const p of this.unwritten) p.done(new NotSent());
    this.unwritten = [];
    const unacked = [...this.unacked];
    this.unacked.clear();
    if (this.session) this.session.held.push(...unacked);
    else for (const p of unacked) p.done(new SessionEnded());
  }

  /** The broker (or the network) drops the connection. */
  lose(reason = 'ECONNRESET'): void {
    if (this.closed) return;
    this.close();
    this.events.onLost(reason);
  }

  async end(): Promise<void> {
    this.close();
  }

  destroy(): void {
    this.close();
  }
}

export class FakeBroker implements Driver {
  readonly name = 'fake';
  readonly conns = new Set<FakeConnection>();
  readonly sessions = new Set<string>();
  /** publish() calls, and messages written to the "socket". */
  publishes = 0;
  written = 0;
  delivered = 0;
  /** QoS 1/2 publishes taken in but neither delivered nor acked; resent from a session; the most in flight on one connection. */
  swallowed = 0;
  resent = 0;
  maxInflight = 0;
  readonly opts: ConnectOptions[] = [];

  constructor(
    readonly clock: Clock,
    readonly o: FakeBrokerOptions = {},
  ) {}

  async connect(opts: ConnectOptions, events: ConnectionEvents): Promise<Connection> {
    if (this.o.down) throw new ConnectFailure('ECONNREFUSED');
    const delay = this.o.connectDelayMs ?? 0;
    if (delay > 0) await new Promise<void>((r) => this.clock.setTimeout(r, delay));
    this.opts.push(opts);
    const conn = new FakeConnection(this, opts, events, opts.session as FakeSession | undefined);
    this.conns.add(conn);
    return conn;
  }

  newSession(): OutboundSession {
    return new FakeSession();
  }

  /** The connection of a client id (the first one, if several). */
  conn(clientId: string): FakeConnection | undefined {
    return [...this.conns].find((c) => c.opts.clientId === clientId);
  }

  deliver(p: Pending): void {
    for (const c of this.conns) {
      if (c.subs.some((f) => topicMatches(f, p.topic))) {
        this.delivered++;
        c.events.onMessage(p.topic, p.payload, p.qos, false);
      }
    }
  }
}
