import { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { leanDriver } from '../../src/driver/lean.js';
import type { Connection, ConnectOptions } from '../../src/driver/driver.js';
import type { QoS } from '../../src/scenario/model.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

// A lean subscriber answers every QoS 1 / QoS 2 delivery — counted by the fault proxy between it and a real
// mosquitto, and checked by the broker itself (a resumed session gets nothing again: every delivery was
// acknowledged) — and answers all the deliveries of one socket read with one write.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}
const tag = () => Math.random().toString(16).slice(2, 10);

const mosq = useMosquitto();
let proxy: FaultProxy | null = null;
const open: Connection[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of open.splice(0)) c.destroy();
  await proxy?.close();
  proxy = null;
});

async function connect(
  url: string,
  clientId: string,
  onMessage: (topic: string, payload: Buffer) => void,
  over: Partial<ConnectOptions> = {},
): Promise<Connection> {
  const conn = await leanDriver.connect(
    { url, clientId, protocolVersion: 4, clean: true, keepaliveSec: 30, timeoutMs: 5000, ...over },
    { onMessage, onLost: () => {} },
  );
  open.push(conn);
  return conn;
}

/** Publishes n numbered messages, 20 in flight (so the broker delivers in bursts); resolves when all are acknowledged. */
function publishAll(conn: Connection, topic: string, qos: QoS, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let acked = 0;
    const done = (err?: Error) => {
      if (err) return reject(err);
      if (++acked === n) return resolve();
      pump();
    };
    const pump = () => {
      while (next < n && conn.inflight() < 20) {
        const p = Buffer.alloc(32);
        p.writeUInt32BE(next++, 0);
        conn.publish(topic, p, qos, false, done);
      }
    };
    pump();
  });
}

/** The writes and reads of the client sockets connected to `port` (the subscriber's, through the proxy). */
function watchSockets(port: number): { writes: Buffer[]; reads: () => number } {
  const writes: Buffer[] = [];
  let reads = 0;
  const seen = new WeakSet<Socket>();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original, called below with each socket as `this`
  const write = Socket.prototype.write;
  vi.spyOn(Socket.prototype, 'write').mockImplementation(function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === port) {
      if (!seen.has(this)) {
        seen.add(this);
        this.on('data', () => void reads++);
      }
      const chunk = args[0];
      if (Buffer.isBuffer(chunk)) writes.push(Buffer.from(chunk));
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  });
  return { writes, reads: () => reads };
}

/** The PUBACK ids in a write made only of PUBACKs (0x40 0x02 id id), or null for any other write. */
function pubackIds(w: Buffer): number[] | null {
  if (w.length === 0 || w.length % 4 !== 0) return null;
  const ids: number[] = [];
  for (let k = 0; k < w.length; k += 4) {
    if (w[k] !== 0x40 || w[k + 1] !== 2) return null;
    ids.push(w.readUInt16BE(k + 2));
  }
  return ids;
}

describe('lean subscriber: every QoS 1/2 delivery answered, one write per read', () => {
  it('QoS 1 in bursts: exactly N PUBACKs reach mosquitto, at most one write per socket read, nothing redelivered on resume', async () => {
    const N = 3000;
    proxy = await startFaultProxy({ host: '127.0.0.1', port: mosq.port });
    const topic = `batch/${tag()}/q1`;
    const subId = `sub-${tag()}`;
    const io = watchSockets(proxy.port);
    const got = new Set<number>();
    let deliveries = 0;
    const sub = await connect(
      proxy.url,
      subId,
      (_t, p) => {
        deliveries++;
        got.add(p.readUInt32BE(0));
      },
      { clean: false },
    );
    await sub.subscribe([{ topic, qos: 1 }]);
    const pub = await connect(mosq.url, `pub-${tag()}`, () => {});
    await publishAll(pub, topic, 1, N);
    await until(() => got.size === N && proxy!.counts().clientPubacks >= deliveries);
    await sleep(200); // nothing more may come
    const counts = proxy.counts();
    expect(got.size).toBe(N);
    // One PUBACK per delivery (mosquitto may re-send a message only on reconnect; none here).
    expect(deliveries).toBe(N);
    expect(counts.clientPubacks).toBe(N);

    // The subscriber's own writes: the PUBACKs, batched — never more ack writes than reads.
    const ackWrites = io.writes.map(pubackIds).filter((ids): ids is number[] => ids !== null);
    const acked = ackWrites.flat();
    expect(acked.length).toBe(N);
    expect(new Set(acked).size).toBeLessThanOrEqual(N);
    expect(ackWrites.length).toBeLessThanOrEqual(io.reads());
    // The broker kept 20 in flight: some reads held several deliveries, and their PUBACKs left together.
    expect(Math.max(...ackWrites.map((ids) => ids.length))).toBeGreaterThan(1);
    expect(ackWrites.length).toBeLessThan(N);

    // The broker's side: the session resumes with nothing left to deliver (an unacknowledged QoS 1 message would be re-sent now).
    await sub.end();
    let again = 0;
    const back = await connect(proxy.url, subId, () => void again++, { clean: false });
    expect(back.sessionPresent).toBe(true);
    await sleep(500);
    expect(again).toBe(0);
  });

  it('QoS 2: exactly N PUBRECs and N PUBCOMPs, each message delivered once, nothing redelivered on resume', async () => {
    const N = 1000;
    proxy = await startFaultProxy({ host: '127.0.0.1', port: mosq.port });
    const topic = `batch/${tag()}/q2`;
    const subId = `sub2-${tag()}`;
    const got = new Set<number>();
    let deliveries = 0;
    const sub = await connect(
      proxy.url,
      subId,
      (_t, p) => {
        deliveries++;
        got.add(p.readUInt32BE(0));
      },
      { clean: false },
    );
    await sub.subscribe([{ topic, qos: 2 }]);
    const pub = await connect(mosq.url, `pub2-${tag()}`, () => {});
    await publishAll(pub, topic, 2, N);
    await until(() => proxy!.counts().clientPubcomps === N);
    await sleep(200);
    const counts = proxy.counts();
    expect(got.size).toBe(N);
    expect(deliveries).toBe(N);
    expect(counts.clientPubrecs).toBe(N);
    expect(counts.clientPubcomps).toBe(N);
    expect(counts.clientPubacks).toBe(0);

    await sub.end();
    let again = 0;
    const back = await connect(proxy.url, subId, () => void again++, { clean: false });
    expect(back.sessionPresent).toBe(true);
    await sleep(500);
    expect(again).toBe(0);
  });
});
