/**
 * The broker's `$SYS` topics (mosquitto), read by ONE extra MQTT connection made through the Driver seam
 * on the coordinator's thread. The broker publishes them every sys_interval (mosquitto 2.0 with
 * `sys_interval 1` publishes every 2 s): a read returns the newest values, or null when nothing new came.
 *
 * mosquitto publishes a value only when it changed, retained: the retained copies delivered at subscribe
 * time are the current values (as of the last $SYS update), and a value missing from a later batch has not
 * changed. So values accumulate, and the first reading (the retained batch) is the baseline of every counter.
 * The broker counts its $SYS deliveries to this connection as publishes sent: every reading carries how
 * many this connection had received when `publish/messages/sent` was published (observerDeliveries),
 * so the cross-check can take them out exactly.
 */
import type { Clock } from '../shared/clock.js';
import { redactUrl } from '../scenario/redact.js';
import type { Connection, ConnectOptions, Driver, TlsOptions } from '../driver/driver.js';
import { sysField, sysNumber, SYS_FILTERS } from './sysTopics.js';
import type { Reading, Source } from './types.js';

export interface SysSourceOptions {
  /** The broker's MQTT URL (mqtt://, mqtts://, ws://, wss://). */
  url: string;
  driver: Driver;
  clock: Clock;
  username?: string;
  password?: string;
  tls?: TlsOptions;
  /** Default 4 (MQTT 3.1.1). */
  protocolVersion?: ConnectOptions['protocolVersion'];
  /** Connect timeout, default 5,000 ms. */
  timeoutMs?: number;
}

/** A $SYS source, connected and subscribed; rejects with the reason when it cannot connect or subscribe. */
export async function sysSource(opts: SysSourceOptions): Promise<Source & { version(): string | undefined }> {
  const values: Omit<Reading, 'atMs'> = { gauges: {}, counters: {}, extra: {}, extraCounters: {} };
  let updatedAt = 0;
  let returnedAt = 0;
  let deliveries = 0;
  let version: string | undefined;
  let lost: string | null = null;
  let closing = false;

  const connectOpts: ConnectOptions = {
    url: opts.url,
    clientId: `mqbench-observer-${Math.random().toString(36).slice(2, 10)}`,
    protocolVersion: opts.protocolVersion ?? 4,
    clean: true,
    keepaliveSec: 30,
    timeoutMs: opts.timeoutMs ?? 5000,
    username: opts.username,
    password: opts.password,
    tls: opts.tls,
  };
  const conn: Connection = await opts.driver.connect(connectOpts, {
    onMessage(topic, payload, _qos, retained) {
      deliveries++;
      const f = sysField(topic);
      if (!f) return;
      if (f.where === 'version') {
        version = payload.toString('utf8').trim();
        return;
      }
      const v = sysNumber(payload.toString('utf8'));
      if (v === null) return;
      (values[f.where] as Record<string, number>)[f.name] = v;
      // A live sent counter already counts every delivery to us before this one; a retained one was
      // published before we subscribed, so none of ours.
      if (f.where === 'counters' && f.name === 'messagesSent') values.counters.observerDeliveries = retained ? 0 : deliveries - 1;
      updatedAt = opts.clock.now();
    },
    onLost(reason) {
      if (!closing) lost = reason;
    },
  });
  try {
    const granted = await conn.subscribe(SYS_FILTERS.map((topic) => ({ topic, qos: 0 as const })));
    if (granted.every((g) => g === 128)) throw new Error(`the broker refused the $SYS subscriptions`);
  } catch (err) {
    conn.destroy();
    throw err;
  }

  return {
    kind: 'sys',
    target: `${redactUrl(opts.url)} $SYS`,
    notes: [],
    version: () => version,
    async read() {
      if (lost !== null) throw new Error(`the $SYS connection was lost: ${lost}`);
      if (updatedAt === returnedAt) return null;
      returnedAt = updatedAt;
      return {
        atMs: updatedAt,
        gauges: { ...values.gauges },
        counters: { ...values.counters },
        extra: { ...values.extra },
        extraCounters: { ...values.extraCounters },
      };
    },
    async close() {
      closing = true;
      await conn.end().catch(() => conn.destroy());
    },
  };
}
