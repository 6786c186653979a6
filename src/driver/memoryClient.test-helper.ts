/**
 * A test client for the memory driver: connects with defaults, records what arrives, what was lost and
 * drains, and turns a publish's `done` into a promise. Not a test file itself.
 */
import type { QoS } from '../scenario/model.js';
import type { MemoryDriver } from './memory.js';
import type { AckKind, Connection, ConnectOptions } from './driver.js';

export interface Got {
  topic: string;
  payload: string;
  qos: QoS;
  retained: boolean;
}

export interface TestClient {
  conn: Connection;
  got: Got[];
  lost: string[];
  drains: number;
  /** Payloads received, in order. */
  payloads(): string[];
}

export const opts = (clientId: string, o: Partial<ConnectOptions> = {}): ConnectOptions => ({
  url: 'mqtt://memory',
  clientId,
  protocolVersion: 4,
  clean: true,
  keepaliveSec: 60,
  timeoutMs: 1000,
  ...o,
});

export async function client(mem: MemoryDriver, clientId: string, o: Partial<ConnectOptions> = {}, into?: TestClient): Promise<TestClient> {
  const c: TestClient = into ?? { conn: undefined as unknown as Connection, got: [], lost: [], drains: 0, payloads: () => c.got.map((g) => g.payload) };
  c.conn = await mem.connect(opts(clientId, o), {
    onMessage: (topic, payload, qos, retained) => c.got.push({ topic, payload: payload.toString(), qos, retained }),
    onLost: (reason) => c.lost.push(reason),
    onDrain: () => c.drains++,
  });
  return c;
}

/** How a publish ended: `err` (its name and message) or the ack; `pending` while done has not run. */
export interface Outcome {
  done: boolean;
  err?: Error;
  ack?: AckKind;
  calls: number;
}

export function publish(conn: Connection, topic: string, payload: string, qos: QoS, retain = false): Outcome {
  const o: Outcome = { done: false, calls: 0 };
  conn.publish(topic, Buffer.from(payload), qos, retain, (err, ack) => {
    o.done = true;
    o.calls++;
    o.err = err;
    o.ack = ack;
  });
  return o;
}

/** Lets every queued microtask (and promise continuation) run. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
