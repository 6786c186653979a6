import { ConnectFailure, type Driver } from '../driver/types.js';
import type { Receivable } from '../metrics/ledger.js';
import type { Recorder } from '../metrics/recorder.js';
import type { TargetSpec } from '../scenario/types.js';
import type { Clock } from '../shared/clock.js';
import type { Device } from './device.js';
import type { Receiver } from './receiver.js';

/** Reconnect back-off after a lost connection: doubles from MIN to MAX, with ±50% jitter. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * Brings devices up and keeps them up: connect (TCP + CONNACK), subscribe, and after a lost
 * connection reconnect with jittered back-off and subscribe again. Counts every attempt, success,
 * failure (with its reason), loss and reconnect.
 */
export class Connector {
  open = 0;
  private stopping = false;
  private timers = new Set<unknown>();

  constructor(
    private readonly driver: Driver,
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    private readonly receiver: Receiver,
    private readonly target: TargetSpec,
    private readonly receivable: Receivable,
  ) {}

  /** First connection of a device. Resolves false when it has no active subscription (connect or SUBACK failed). */
  async connect(dev: Device): Promise<boolean> {
    if (this.stopping) return false;
    this.recorder.count('connAttempted', true);
    const began = this.clock.now();
    const ok = await this.attempt(dev, 'connect');
    if (ok) this.recorder.latency('connect', this.clock.now() - began, true);
    return ok && (await this.subscribe(dev));
  }

  /** No more reconnects; pending back-off timers are cancelled. */
  stop(): void {
    this.stopping = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private async attempt(dev: Device, kind: 'connect' | 'reconnect'): Promise<boolean> {
    const c = dev.group.connect;
    const t = this.target;
    try {
      const conn = await this.driver.connect(
        { url: t.url, clientId: dev.clientId, protocolVersion: t.mqttVersion, clean: c.clean, keepaliveSec: c.keepaliveSec, timeoutMs: c.timeoutMs, username: t.username, password: t.password },
        {
          onMessage: (topic, payload) => this.receiver.onMessage(dev, topic, payload),
          onLost: (reason) => this.lost(dev, reason),
        },
      );
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

  private async subscribe(dev: Device): Promise<boolean> {
    if (dev.filters.length === 0 || !dev.conn) return dev.filters.length === 0;
    try {
      const granted = await dev.conn.subscribe(dev.group.subscribe.map((s, k) => ({ topic: dev.filters[k], qos: s.qos })));
      if (!granted.some((q) => q === 128)) {
        this.receivable[dev.global] = 1;
        return true;
      }
    } catch {
      // counted below
    }
    this.recorder.count('subscribeFailed', true);
    return false;
  }

  /**
   * An event drops the device (abrupt: no DISCONNECT) and brings it back after `afterMs`.
   * A clean session stops being a receiver at once; a persistent one stays one (its broker queues).
   */
  async drop(dev: Device, abrupt: boolean, afterMs: number): Promise<void> {
    const conn = dev.conn;
    if (!conn || this.stopping) return;
    if (dev.group.connect.clean) this.receivable[dev.global] = 0;
    dev.conn = null;
    this.open--;
    this.recorder.count('dropped', true);
    const droppedAt = this.clock.now();
    if (abrupt) conn.destroy();
    else await conn.end();
    void this.reconnect(dev, droppedAt, RECONNECT_MIN_MS, 'droppedBack', afterMs);
  }

  private lost(dev: Device, reason: string): void {
    if (dev.group.connect.clean) this.receivable[dev.global] = 0;
    if (dev.conn) this.open--;
    dev.conn = null;
    if (this.stopping) return;
    this.recorder.count('connLost', true);
    this.recorder.problem(`lost: ${reason}`);
    void this.reconnect(dev, this.clock.now(), RECONNECT_MIN_MS, 'reconnected');
  }

  /** Reconnect until it works or the run stops; `back` counts the comeback (after a loss or an event drop). */
  private async reconnect(dev: Device, lostAt: number, backoffMs: number, back: 'reconnected' | 'droppedBack', waitMs?: number): Promise<void> {
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
    if (await this.attempt(dev, 'reconnect')) {
      this.recorder.count(back, true);
      this.recorder.latency('reconnect', this.clock.now() - lostAt, true);
      await this.subscribe(dev);
    } else if (!this.stopping) {
      await this.reconnect(dev, lostAt, Math.min(RECONNECT_MAX_MS, backoffMs * 2), back);
    }
  }
}
