/**
 * The in-memory driver: an in-process MQTT broker model behind the Driver seam, for component tests of
 * the runtime on the fake clock (never for user runs: it is not in the CLI's driver registry).
 *
 *   const mem = new MemoryDriver({ clock, deliverDelayMs: 2, ackDelayMs: 1 });
 *   mem.faults.duplicateDeliveries({ every: 10 });   // fault injection (see memory/faults.ts)
 *   … run devices on `mem` …
 *   expect(mem.counts.duplicated).toBe(…);           // what it did (memory/counts.ts)
 *
 * It models QoS 0/1/2 both ways with their acks, + / # filters, $share groups (round-robin), retained
 * messages, clean and kept sessions (CONNACK session-present, queued copies, MQTT 5 expiry on the clock,
 * takeover), the client's outbound session (re-send with DUP on a resumed session), Receive Maximum,
 * granted QoS and the capabilities of lesser brokers (see MemoryOptions).
 */
import { systemClock, type Clock } from '../shared/clock.js';
import { MemoryBroker } from './memory/broker.js';
import type { BrokerSession } from './memory/brokerSession.js';
import { MemorySession } from './memory/clientSession.js';
import { MemoryConnection, type MemoryContext } from './memory/connection.js';
import { MemoryCounts } from './memory/counts.js';
import { Faults, firstTaking, type AckEvent } from './memory/faults.js';
import { later, type Arrival, type MemoryOptions } from './memory/options.js';
import type { Retained } from './memory/routing.js';
import { ConnectFailure, type Connection, type ConnectionEvents, type ConnectOptions, type Driver, type OutboundSession } from './driver.js';

export type { MemoryOptions, Arrival } from './memory/options.js';
export type { Match, DeliveryEvent, PublishEvent, AckEvent, ShareEvent, Fault } from './memory/faults.js';
export { MemoryCounts } from './memory/counts.js';
export { MemoryConnection } from './memory/connection.js';

export class MemoryDriver implements Driver {
  readonly name: string;
  /** Everything the broker and its clients did. */
  readonly counts = new MemoryCounts();
  /** Fault rules; add with faults.dropDeliveries({ every: 3 }) etc. */
  readonly faults = new Faults();
  readonly broker: MemoryBroker;
  /** Every connect() call's options, in order. */
  readonly connectOptions: ConnectOptions[] = [];
  /** Every onMessage, when `record: true` (else empty). */
  readonly log: Arrival[] = [];
  private readonly clock: Clock;
  private readonly x: MemoryContext;

  constructor(
    private readonly o: MemoryOptions = {},
    name = 'memory',
  ) {
    this.name = name;
    this.clock = o.clock ?? systemClock;
    this.broker = new MemoryBroker(this.clock, o, this.counts, this.faults);
    this.x = { clock: this.clock, o, counts: this.counts, broker: this.broker, log: o.record ? this.log : null };
  }

  async connect(opts: ConnectOptions, events: ConnectionEvents): Promise<Connection> {
    this.counts.connectAttempts++;
    this.connectOptions.push(opts);
    if (opts.session !== undefined && !(opts.session instanceof MemorySession)) throw new Error('the memory driver needs a session from its own newSession()');
    await new Promise<void>((resolve) => later(this.clock, this.o.controlDelayMs ?? 0, resolve));
    const refusal = firstTaking(this.faults.refuseConnectRules, opts);
    if (refusal) {
      this.counts.connectsRefused++;
      throw new ConnectFailure(refusal.reason);
    }
    const conn = new MemoryConnection(this.x, opts, events);
    this.broker.resume(conn.link);
    return conn;
  }

  newSession(): OutboundSession {
    return new MemorySession(this.counts);
  }

  /** The open connection of a client id. */
  connection(clientId: string): MemoryConnection | undefined {
    return this.broker.sessions.get(clientId)?.link?.client as MemoryConnection | undefined;
  }

  /** The session the broker keeps for a client id (connected or not). */
  session(clientId: string): BrokerSession | undefined {
    return this.broker.sessions.get(clientId);
  }

  /** The retained message stored for a topic. */
  retained(topic: string): Retained | undefined {
    return this.broker.router.retained.get(topic);
  }

  /** The broker (or the network) drops a client's connection: it sees onLost(reason). False when not connected. */
  kill(clientId: string, reason = 'ECONNRESET'): boolean {
    return this.broker.kill(clientId, reason);
  }

  /** Drops every open connection; returns how many. */
  killAll(reason = 'ECONNRESET'): number {
    let n = 0;
    for (const s of [...this.broker.sessions.values()]) if (s.link && this.broker.kill(s.clientId, reason)) n++;
    return n;
  }

  /** The broker stops reading a client: writable() is false and nothing is written until drain(). */
  stall(clientId: string): boolean {
    const c = this.connection(clientId);
    c?.stall();
    return c !== undefined;
  }

  /** The broker reads a stalled client again (onDrain follows). */
  drain(clientId: string): boolean {
    const c = this.connection(clientId);
    c?.drain();
    return c !== undefined;
  }

  /** Sends the acks held back by holdAcks (those `when` picks, or all); returns how many. */
  releaseAcks(when?: (e: AckEvent) => boolean): number {
    return this.broker.downlink.releaseAcks(when);
  }

  /** The acks held back now. */
  heldAcks(): readonly AckEvent[] {
    return this.broker.downlink.held();
  }
}
