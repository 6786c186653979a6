import { ConnectFailure, type ConnectOptions, type Driver, type Granted, type MessageMeta, type TlsOptions } from '../driver/driver.js';
import { connectOptions, tlsOptions } from '../driver/options.js';
import { OFFERS_ALL, type BrokerOffers } from '../metrics/capabilities.js';
import type { Receivable } from '../metrics/ledger.js';
import type { Recorder } from '../metrics/recorder.js';
import type { SessionBoard } from '../metrics/sessions.js';
import type { QoS, TargetSpec } from '../scenario/model.js';
import type { Clock } from '../shared/clock.js';
import type { Device } from './device.js';
import { DeviceLink, type LinkOwner } from './deviceLink.js';
import type { Receiver } from './receiver.js';

/** Reconnect back-off after a lost connection: doubles from MIN to MAX, with ±50% jitter. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * Brings devices up and keeps them up: connect (TCP + CONNACK), subscribe, and after a lost
 * connection reconnect with jittered back-off and subscribe again. Counts every attempt, success,
 * failure (with its reason), loss and reconnect.
 */
export class Connector implements LinkOwner {
  open = 0;
  /** Called when a device is connected again, or its socket drained (its publisher may have slots waiting). */
  onBack: (dev: Device) => void = () => {};
  /** A connection ended without DISCONNECT (abrupt drop, or lost): the broker owes the device's last will. */
  onAbrupt: (dev: Device) => void = () => {};
  /** Where persistent sessions record going away and coming back (entitlement: metrics/sessions.ts). */
  sessions: SessionBoard | null = null;
  private stopping = false;
  private timers = new Set<unknown>();
  private readonly tls: TlsOptions | undefined;

  constructor(
    private readonly driver: Driver,
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    private readonly receiver: Receiver,
    private readonly target: TargetSpec,
    private readonly receivable: Receivable,
    private readonly offers: BrokerOffers = OFFERS_ALL,
  ) {
    this.tls = tlsOptions(target);
  }

  /**
   * First connection of a device. Resolves false when it has no active subscription (connect or SUBACK failed).
   * `dueMs`: its paced slot; latency `connect` counts from the attempt, `connectFromSlot` from the slot (so a wait
   * for a handshake slot, while the broker was slow to answer the others, is not hidden).
   */
  async connect(dev: Device, dueMs?: number): Promise<boolean> {
    if (this.stopping) return false;
    this.recorder.count('connAttempted', true);
    const began = this.clock.now();
    const ok = await this.attempt(dev, 'connect');
    if (ok) {
      const at = this.clock.now();
      this.recorder.latency('connect', at - began, true);
      this.recorder.latency('connectFromSlot', at - (dueMs ?? began), true);
      this.scheduleChurn(dev);
    }
    return ok && (await this.subscribe(dev));
  }

  /** No more reconnects; pending back-off timers are cancelled. */
  stop(): void {
    this.stopping = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private async attempt(dev: Device, kind: 'connect' | 'reconnect'): Promise<boolean> {
    const opts = connectOptions(this.target, dev.clientId, dev.group.connect, this.tls, dev.global);
    if (dev.group.publish?.topicAlias) opts.topicAliases = true;
    // A persistent session's unacknowledged publishes outlive the connection (resent when the session is present).
    if (!dev.group.connect.clean) opts.session = dev.session ??= this.driver.newSession();
    withIdentity(opts, dev);
    const will = dev.group.connect.will;
    if (will && dev.willTopic !== undefined)
      opts.will = { topic: dev.willTopic, payload: Buffer.from(will.payload, 'utf8'), qos: will.qos, retain: will.retain };
    try {
      const conn = await this.driver.connect(opts, new DeviceLink(this, dev));
      if (this.stopping) {
        conn.destroy();
        return false;
      }
      if (kind === 'connect') this.recorder.count('connSucceeded', true);
      dev.conn = conn;
      this.open++;
      return true;
    } catch (err) {
      const reason = err instanceof ConnectFailure ? err.reason : err instanceof Error ? err.message : String(err);
      if (kind === 'connect') this.recorder.connectFailed(reason);
      else this.recorder.problem(`reconnect: ${reason}`);
      return false;
    }
  }

  /**
   * Makes the device's active subscriptions (or just filter `only`); marks each granted one receivable at the
   * QoS the broker granted. A $share filter the broker refuses, or takes as a plain topic (the probe before the
   * run found out), is marked not offered: its deliveries are counted apart, never expected.
   */
  async subscribe(dev: Device, only?: number): Promise<boolean> {
    const ks = dev.filters.map((_, k) => k).filter((k) => (only === undefined ? dev.active[k] : k === only));
    if (ks.length === 0 || !dev.conn) return ks.length === 0;
    for (const k of ks) dev.asked[k] = this.clock.now();
    try {
      const granted = await dev.conn.subscribe(ks.map((k) => ({ topic: dev.filters[k], qos: dev.group.subscribe[k].qos })));
      const now = this.clock.now();
      ks.forEach((k, n) => this.granted(dev, k, granted[n], now));
      if (!granted.some((q) => q === 128)) return true;
    } catch {
      // counted below
    }
    this.recorder.count('subscribeFailed', true);
    return false;
  }

  private granted(dev: Device, k: number, g: Granted, now: number): void {
    const shared = dev.group.subscribe[k].topic.startsWith('$share/');
    if (g === 128) {
      if (!shared) return;
      this.recorder.count('subRefusedShared', true);
      return dev.expecting(k, 'notOffered', now, this.receivable);
    }
    if (shared && !this.offers.shared) return dev.expecting(k, 'notOffered', now, this.receivable);
    const asked = dev.group.subscribe[k].qos;
    // Counted once per subscription: when first seen below what was asked (re-subscribing after a reconnect is not another).
    if (g < asked && dev.granted[k] === asked) this.recorder.count(asked === 1 ? 'sub1to0' : g === 1 ? 'sub2to1' : 'sub2to0', true);
    dev.expecting(k, g, now, this.receivable);
  }

  /** Ends filter k's subscription: it stops being receivable at once. */
  async unsubscribe(dev: Device, k: number): Promise<void> {
    dev.active[k] = false;
    dev.expecting(k, false, this.clock.now(), this.receivable);
    dev.released[k] = Infinity; // copies may still come through it until UNSUBACK
    await dev.conn?.unsubscribe?.([dev.filters[k]]).catch(() => undefined);
    dev.released[k] = this.clock.now();
  }

  /** A clean session's subscriptions end with its connection; a persistent one's stay with the broker. */
  private away(dev: Device): void {
    const now = this.clock.now();
    const expiresAt = sessionEnd(this.target, dev, now);
    if (expiresAt > now) return void this.sessions?.leave(dev.slot, dev.filters.length, expiresAt);
    for (let k = 0; k < dev.filters.length; k++) dev.expecting(k, false, now, this.receivable);
  }

  /** Churn (connect.lifetime): the connection ends gracefully after its lifetime (+ jitter), and comes back after the pause. */
  private scheduleChurn(dev: Device): void {
    const life = dev.group.connect.lifetime;
    if (!life || this.stopping) return;
    const conn = dev.conn;
    const t = this.clock.setTimeout(
      () => {
        this.timers.delete(t);
        if (dev.conn === conn) void this.drop(dev, false, life.pauseMs, 'churn');
      },
      life.durationMs + Math.random() * life.jitterMs,
    );
    this.timers.add(t);
  }

  /**
   * An event drops the device (abrupt: no DISCONNECT) and brings it back after `afterMs`.
   * A clean session stops being a receiver at once; a persistent one stays one (its broker queues).
   * Churn (connect.lifetime) ends connections the same way, gracefully; it is counted apart and its reconnects
   * are timed from the attempt (the pause is the plan, not latency).
   */
  async drop(dev: Device, abrupt: boolean, afterMs: number, why: 'event' | 'churn' = 'event'): Promise<void> {
    const conn = dev.conn;
    if (!conn || this.stopping) return;
    this.away(dev);
    dev.conn = null;
    this.open--;
    this.recorder.count(why === 'churn' ? 'churned' : 'dropped', true);
    const droppedAt = this.clock.now();
    if (abrupt) {
      this.onAbrupt(dev);
      conn.destroy();
    } else await conn.end();
    void this.reconnect(dev, droppedAt, RECONNECT_MIN_MS, why === 'churn' ? 'churnedBack' : 'droppedBack', afterMs);
  }

  /** @internal A device's connection events (DeviceLink). */
  message(dev: Device, topic: string, payload: Buffer, qos: QoS, retained: boolean, meta?: MessageMeta): void {
    this.receiver.onMessage(dev, topic, payload, qos, retained, meta);
  }

  /** @internal */
  drained(dev: Device): void {
    this.onBack(dev);
  }

  /** @internal */
  lost(dev: Device, reason: string): void {
    this.away(dev);
    if (dev.conn) this.open--;
    dev.conn = null;
    if (this.stopping) return;
    this.onAbrupt(dev);
    this.recorder.count('connLost', true);
    this.recorder.problem(`lost: ${reason}`);
    void this.reconnect(dev, this.clock.now(), RECONNECT_MIN_MS, 'reconnected');
  }

  /**
   * A persistent session is back: with CONNACK session present its broker kept it (what was queued is
   * owed); without, the session ended while away: its subscriptions are gone until SUBACK again.
   */
  private resumed(dev: Device): void {
    if (!dev.conn || dev.group.connect.clean) return;
    this.recorder.count(dev.conn.sessionPresent ? 'sessionsResumed' : 'sessionsLost', true);
    if (!this.sessions || dev.filters.length === 0) return;
    const kept = dev.conn.sessionPresent;
    this.sessions.back(dev.slot, dev.filters.length, kept);
    if (kept) return;
    const now = this.clock.now();
    for (let k = 0; k < dev.filters.length; k++) dev.expecting(k, false, now, this.receivable);
  }

  /** Reconnect until it works or the run stops; `back` counts the comeback (after a loss or an event drop). */
  private async reconnect(dev: Device, lostAt: number, backoffMs: number, back: 'reconnected' | 'droppedBack' | 'churnedBack', waitMs?: number): Promise<void> {
    const wait = waitMs ?? backoffMs * (0.5 + Math.random());
    await new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, wait);
      this.timers.add(t);
    });
    if (this.stopping) return;
    this.recorder.count('reconnectAttempts', true);
    const attemptAt = this.clock.now();
    if (await this.attempt(dev, 'reconnect')) {
      this.recorder.count(back, true);
      // Churn: the connect time of the attempt (the pause was planned); otherwise lost → back.
      this.recorder.latency('reconnect', this.clock.now() - (back === 'churnedBack' ? attemptAt : lostAt), true);
      this.resumed(dev);
      await this.subscribe(dev);
      this.scheduleChurn(dev);
      this.onBack(dev);
    } else if (!this.stopping) {
      await this.reconnect(dev, lostAt, Math.min(RECONNECT_MAX_MS, backoffMs * 2), back);
    }
  }
}

/**
 * The client's own identity: its row of connect.credentials (client i: row i mod rows; cert/key only on
 * mqtts:// and wss://), else the target's username and password with {i} and {group} filled in.
 */
export function withIdentity(opts: ConnectOptions, dev: Pick<Device, 'index' | 'group'>): void {
  const rows = dev.group.connect.credentials?.rows;
  if (rows && rows.length > 0) {
    const row = rows[dev.index % rows.length];
    if (row.username !== undefined) opts.username = row.username;
    if (row.password !== undefined) opts.password = row.password;
    if (row.cert !== undefined && row.key !== undefined) opts.tls = { ...(opts.tls ?? { rejectUnauthorized: true }), cert: row.cert, key: row.key };
    return;
  }
  const fill = (t: string) => (t.includes('{') ? t.replaceAll('{i}', String(dev.index)).replaceAll('{group}', dev.group.name) : t);
  if (opts.username !== undefined) opts.username = fill(opts.username);
  if (opts.password !== undefined) opts.password = fill(opts.password);
}

/**
 * When a device's session ends once its connection is gone (epoch ms): now for a clean session (and an
 * MQTT 5 one without session expiry), after the MQTT 5 session expiry, or never (MQTT 3.1.1 persistent).
 */
export function sessionEnd(target: TargetSpec, dev: Device, now: number): number {
  const c = dev.group.connect;
  if (c.clean || dev.filters.length === 0) return now;
  if (target.mqttVersion !== 5) return Infinity;
  return c.sessionExpirySec !== undefined && c.sessionExpirySec > 0 ? now + c.sessionExpirySec * 1000 : now;
}
