/**
 * A small MQTT client for doctor's broker probes, on top of a Driver: it records what arrives, waits for a
 * condition with a deadline, and every step is bounded in time so a broker that stops answering costs
 * seconds, never a hang. A ProbeSession closes whatever its probes left open.
 */
import { connectOptions } from '../driver/options.js';
import type { Connection, Driver, Granted } from '../driver/driver.js';
import type { ConnectSpec, ProtocolLevel, QoS, TargetSpec } from '../scenario/model.js';

export interface Received {
  topic: string;
  payload: Buffer;
  retained: boolean;
  at: number;
}

/** Each step (connect, subscribe, a publish ack) gives up after this long. */
export const STEP_MS = 3000;

const PROBE_CONNECT: ConnectSpec = { rate: 1, clean: true, keepaliveSec: 10, timeoutMs: STEP_MS };

/** `p`, or a rejection naming `what` once `ms` have passed. */
export function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ProbeClient {
  readonly received: Received[] = [];
  lost: string | null = null;
  private waiters = new Set<() => void>();
  conn!: Connection;

  onMessage(topic: string, payload: Buffer, retained = false): void {
    this.received.push({ topic, payload, retained, at: performance.now() });
    for (const w of this.waiters) w();
  }

  /** Resolves true as soon as `pred()` holds, false after `ms`. */
  until(pred: () => boolean, ms: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!pred()) return;
        finish(true);
      };
      const finish = (v: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(v);
      };
      const timer = setTimeout(() => finish(false), ms);
      this.waiters.add(check);
    });
  }

  subscribe(topic: string, qos: QoS): Promise<Granted> {
    return bounded(this.conn.subscribe([{ topic, qos }]), STEP_MS, `subscribe ${topic}`).then((g) => g[0]);
  }

  /** Resolves when the broker acknowledged it (QoS 1/2) or it was written (QoS 0). */
  publish(topic: string, payload: Buffer, qos: QoS, retain = false): Promise<void> {
    const sent = new Promise<void>((resolve, reject) => this.conn.publish(topic, payload, qos, retain, (err) => (err ? reject(err) : resolve())));
    return bounded(sent, STEP_MS, `publish to ${topic}`);
  }
}

/** The probes' shared state: where the broker is, a unique id for topics and client ids, and the open clients. */
/** Numbers client ids across sessions, so no two probe clients of one run share an id. */
let clientSeq = 0;

export class ProbeSession {
  readonly open = new Set<ProbeClient>();

  constructor(
    readonly driver: Driver,
    readonly target: TargetSpec,
    readonly id: string,
  ) {}

  /** A unique topic under this doctor run, e.g. "mqbench-doctor-1a2b3c4d/retain". */
  topic(name: string): string {
    return `mqbench-doctor-${this.id}/${name}`;
  }

  /** Connects a client with `version`; rejects with the driver's ConnectFailure words. */
  async connect(version: ProtocolLevel = this.target.mqttVersion): Promise<ProbeClient> {
    const client = new ProbeClient();
    const clientId = `mqbench-doctor-${this.id}-${clientSeq++}`;
    const opts = connectOptions({ ...this.target, mqttVersion: version }, clientId, PROBE_CONNECT);
    client.conn = await bounded(
      this.driver.connect(opts, {
        onMessage: (topic, payload, _qos, retained) => client.onMessage(topic, payload, retained),
        onLost: (reason) => (client.lost = reason),
      }),
      STEP_MS + 500,
      'connect',
    );
    this.open.add(client);
    return client;
  }

  async close(client: ProbeClient): Promise<void> {
    if (!this.open.delete(client)) return;
    await bounded(client.conn.end(), 2500, 'disconnect').catch(() => client.conn.destroy());
  }

  /** Closes every client still open (after a probe gave up half-way). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((c) => this.close(c)));
  }
}
