import { performance } from 'node:perf_hooks';
import { connect as netConnect, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded.js';
import {
  noFaultCounts,
  FrameSplitter,
  MalformedFrameError,
  SWAP_HOLD_MS,
  ackId,
  connectClientId,
  decodeFixedHeader,
  packetType,
  startFaultProxy,
  type FaultProxy,
} from '../helpers/faultProxy.js';

// ---------------------------------------------------------------------------------------------
// Frame splitter
// ---------------------------------------------------------------------------------------------

/** Builds an MQTT frame: first byte, then the remaining length as a variable-length integer. */
function frame(firstByte: number, body: Buffer): Buffer {
  const len: number[] = [];
  let x = body.length;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Buffer.concat([Buffer.from([firstByte, ...len]), body]);
}

function filled(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

function feed(splitter: FrameSplitter, chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) out.push(...splitter.push(c));
  return out;
}

function expectFrames(got: Buffer[], want: Buffer[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(got[i].length).toBe(want[i].length);
    expect(got[i].equals(want[i])).toBe(true);
  }
}

describe('FrameSplitter', () => {
  // Remaining lengths 0, 1, 127 (largest 1-byte), 128 (smallest 2-byte), 300, 16383 (largest
  // 2-byte), 16384 (smallest 3-byte); mixed packet types.
  const small = [
    frame(0xd0, Buffer.alloc(0)), // PINGRESP
    frame(0x30, filled(1, 1)),
    frame(0x32, filled(127, 2)),
    frame(0x40, filled(128, 3)),
    frame(0x90, filled(300, 4)),
  ];
  const mid = [frame(0x31, filled(16383, 5)), frame(0x30, filled(16384, 6))];

  it('decodes remaining-length boundaries and the packet type', () => {
    expect(small.map((f) => decodeFixedHeader(f)?.headerLength)).toEqual([2, 2, 2, 3, 3]);
    expect(mid.map((f) => decodeFixedHeader(f)?.headerLength)).toEqual([3, 4]);
    expect(small.map(packetType)).toEqual([13, 3, 3, 4, 9]);
    expect(decodeFixedHeader(Buffer.from([0x30, 0x80, 0x80]))).toBeNull();
    expect(decodeFixedHeader(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))?.frameLength).toBe(5 + 268_435_455);
    expect(() => decodeFixedHeader(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(MalformedFrameError);
  });

  it('splits a stream cut at every byte boundary, and several frames in one chunk', () => {
    const stream = Buffer.concat(small);
    for (let k = 0; k <= stream.length; k++) {
      const s = new FrameSplitter();
      expectFrames(feed(s, [stream.subarray(0, k), stream.subarray(k)]), small);
      expect(s.pending).toBe(0);
    }
    // Two cuts: every first cut, with the second cut a fixed distance later.
    for (let k = 0; k + 3 <= stream.length; k++) {
      const s = new FrameSplitter();
      expectFrames(feed(s, [stream.subarray(0, k), stream.subarray(k, k + 3), stream.subarray(k + 3)]), small);
    }
  });

  it('splits a stream fed one byte at a time (1-, 2- and 3-byte remaining lengths)', () => {
    const all = [...small, ...mid, ...small];
    const stream = Buffer.concat(all);
    const s = new FrameSplitter();
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) chunks.push(stream.subarray(i, i + 1));
    expectFrames(feed(s, chunks), all);
    expect(s.pending).toBe(0);
  });

  it('handles a 4-byte remaining length (2 MB payload) split at every byte boundary', () => {
    const topic = Buffer.from([0x00, 0x03, 0x61, 0x2f, 0x62]); // "a/b"
    const big = frame(0x30, Buffer.concat([topic, filled(2 * 1024 * 1024, 7)]));
    expect(decodeFixedHeader(big)?.headerLength).toBe(5); // 1 type byte + 4 length bytes
    const all = [small[1], big, small[0], small[3]];
    const stream = Buffer.concat(all);
    const bigStart = small[1].length;
    const bigEnd = bigStart + big.length;

    // Every byte boundary, fed one byte at a time.
    const s = new FrameSplitter();
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) {
      out.push(...s.push(stream.subarray(i, i + 1)));
      if (i === bigEnd - 2) expect(s.pending).toBe(big.length - 1);
    }
    expectFrames(out, all);
    expect(s.pending).toBe(0);

    // Single cuts around the header (inside the 4 length bytes) and around the end of the big frame.
    const cuts: number[] = [];
    for (let k = 0; k <= bigStart + 8; k++) cuts.push(k);
    for (let k = bigEnd - 4; k <= stream.length; k++) cuts.push(k);
    for (const k of cuts) {
      expectFrames(feed(new FrameSplitter(), [stream.subarray(0, k), stream.subarray(k)]), all);
    }

    // Socket-like 64 KiB chunks, and chunks of a prime size.
    for (const size of [65536, 4099]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expectFrames(feed(new FrameSplitter(), chunks), all);
    }
  });

  it('rejects a remaining length longer than 4 bytes, also when split', () => {
    const bad = Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => new FrameSplitter().push(bad)).toThrow(MalformedFrameError);
    const s = new FrameSplitter();
    expect(() => feed(s, [bad.subarray(0, 3), bad.subarray(3)])).toThrow(MalformedFrameError);
  });
});

describe('CONNECT client id and ack packet id', () => {
  it('reads the client id of MQTT 3.1, 3.1.1 and 5 CONNECTs (with properties, will, credentials)', () => {
    const base = { cmd: 'connect' as const, clientId: 'dev-ü-7', keepalive: 30, clean: false };
    expect(connectClientId(generate({ ...base, protocolId: 'MQIsdp', protocolVersion: 3 }))).toBe('dev-ü-7');
    expect(connectClientId(generate({ ...base, protocolId: 'MQTT', protocolVersion: 4, username: 'u', password: Buffer.from('p') }))).toBe('dev-ü-7');
    const v5 = generate({
      ...base,
      protocolId: 'MQTT',
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 300, receiveMaximum: 10, userProperties: { a: 'b'.repeat(200) } },
      will: { topic: 'w', payload: Buffer.from('x'), qos: 1, retain: false },
    });
    expect(connectClientId(v5)).toBe('dev-ü-7');
    expect(connectClientId(generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: '', clean: true, keepalive: 0 }))).toBe('');
    expect(connectClientId(generate({ cmd: 'pingreq' }))).toBeUndefined();
    expect(connectClientId(v5.subarray(0, v5.length - 20))).toBeUndefined(); // cut short
  });

  it('reads the packet id of the four acks, v3 and v5 (with a reason code)', () => {
    expect(ackId(generate({ cmd: 'puback', messageId: 0x1234 }))).toBe(0x1234);
    expect(ackId(generate({ cmd: 'pubrec', messageId: 7, reasonCode: 0x10 }, { protocolVersion: 5 }))).toBe(7);
    expect(ackId(generate({ cmd: 'pubcomp', messageId: 65535 }))).toBe(65535);
    expect(ackId(Buffer.from([0x40, 0x00]))).toBe(-1);
  });
});

// ---------------------------------------------------------------------------------------------
// Proxy against the embedded aedes broker
// ---------------------------------------------------------------------------------------------

interface Received {
  seq: number;
  at: number;
}

async function connectClient(url: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId: `fp-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    const onClose = (): void => reject(new Error('connection closed before CONNACK'));
    client.once('close', onClose);
    client.once('error', reject);
    client.once('connect', () => {
      client.off('close', onClose);
      client.off('error', reject);
      resolve();
    });
  });
  return client;
}

async function subscribeThrough(url: string, topic: string): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await connectClient(url);
  const received: Received[] = [];
  client.on('message', (t, payload) => {
    if (t === topic) received.push({ seq: Number(payload.toString()), at: performance.now() });
  });
  await new Promise<void>((resolve, reject) => client.subscribe(topic, { qos: 0 }, (err) => (err ? reject(err) : resolve())));
  return { client, received };
}

const end = (c: MqttClient): Promise<void> => new Promise((r) => c.end(false, {}, () => r()));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves once `count()` has not changed for `quietMs` (must exceed the swap hold time). */
async function waitQuiet(count: () => number, quietMs = SWAP_HOLD_MS + 150, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const n = count();
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    await sleep(20);
  }
  throw new Error('stream did not go quiet');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Received messages whose seq is lower than the highest seq seen before them. */
function outOfOrder(received: Received[]): number[] {
  let max = -Infinity;
  const late: number[] = [];
  for (const r of received) {
    if (r.seq < max) late.push(r.seq);
    max = Math.max(max, r.seq);
  }
  return late;
}

describe('fault proxy', () => {
  let broker: EmbeddedBroker;
  let publisher: MqttClient;
  const proxies: FaultProxy[] = [];
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    publisher = await connectClient(broker.url);
  });

  afterAll(async () => {
    for (const c of clients) await end(c);
    await end(publisher);
    for (const p of proxies) await p.close();
    await broker.close();
  });

  async function setup(rules: Parameters<typeof startFaultProxy>[1]) {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: broker.port }, rules);
    proxies.push(proxy);
    const topic = `fp/${Math.random().toString(16).slice(2)}`;
    const sub = await subscribeThrough(proxy.url, topic);
    clients.push(sub.client);
    return { proxy, topic, ...sub };
  }

  it('drops, duplicates and swaps exactly as the rules say (500 QoS 0 messages)', async () => {
    const { proxy, topic, received } = await setup({ dropEvery: 50, duplicateEvery: 70, swapEvery: 45 });
    expect(proxy.url).toBe(`mqtt://127.0.0.1:${proxy.port}`);
    for (let seq = 1; seq <= 500; seq++) publisher.publish(topic, String(seq), { qos: 0 });
    await waitQuiet(() => received.length);

    // The subscriber is the proxy's only client, so the proxy's PUBLISH counter equals seq.
    // dropped:    50, 100, …, 500                         → 10
    // duplicated: 70, 140, …, 490 except 350 (dropped)    → 6
    // swapped:    45, 90, …, 495 except 450 (dropped)     → 10 (none is followed by a dropped seq)
    const c = proxy.counts();
    expect(c).toEqual({
      ...noFaultCounts(),
      publishes: 500,
      dropped: 10,
      duplicated: 6,
      swapped: 10,
      connections: 1,
    });
    expect(received.length).toBe(500 - c.dropped + c.duplicated);

    const seen = new Map<number, number>();
    for (const r of received) seen.set(r.seq, (seen.get(r.seq) ?? 0) + 1);
    for (let seq = 1; seq <= 500; seq++) {
      const want = seq % 50 === 0 ? 0 : seq % 70 === 0 ? 2 : 1;
      expect(seen.get(seq) ?? 0, `seq ${seq}`).toBe(want);
    }

    const late = outOfOrder(received);
    expect(late.length).toBe(c.swapped);
    const swappedSeqs = [45, 90, 135, 180, 225, 270, 315, 360, 405, 495];
    expect(late).toEqual(swappedSeqs);
    // Each held message arrives right after the one that followed it.
    const order = received.map((r) => r.seq);
    for (const s of swappedSeqs) expect(order[order.indexOf(s) - 1]).toBe(s + 1);
  });

  it('swaps pairs and releases a held PUBLISH alone after the hold time (not counted)', async () => {
    const { proxy, topic, received } = await setup({ swapEvery: 1 });
    const t0 = performance.now();
    for (let seq = 1; seq <= 5; seq++) publisher.publish(topic, String(seq), { qos: 0 });
    await waitQuiet(() => received.length);
    // 1 held, 2 releases it; 3 held, 4 releases it; 5 held and released alone by the timer.
    expect(received.map((r) => r.seq)).toEqual([2, 1, 4, 3, 5]);
    expect(received[4].at - t0).toBeGreaterThanOrEqual(SWAP_HOLD_MS - 1);
    expect(proxy.counts()).toMatchObject({ publishes: 5, swapped: 2, dropped: 0, duplicated: 0 });
    expect(outOfOrder(received).length).toBe(2);
  });

  it('delays PUBLISHes by delayMs (median end-to-end latency +20 ± 2 ms)', async () => {
    const { proxy, topic, received } = await setup({});
    const sent = new Map<number, number>();
    const n = 60;
    const phase = async (from: number): Promise<void> => {
      for (let seq = from; seq < from + n; seq++) {
        sent.set(seq, performance.now());
        publisher.publish(topic, String(seq), { qos: 0 });
        await sleep(8);
      }
      await waitQuiet(() => received.length, 150);
    };
    const latency = (lo: number, hi: number): number[] => received.filter((r) => r.seq >= lo && r.seq < hi).map((r) => r.at - (sent.get(r.seq) as number));

    await phase(0);
    proxy.setRules({ delayMs: 20 });
    await phase(n);

    expect(received.map((r) => r.seq)).toEqual([...Array(2 * n).keys()]);
    expect(proxy.counts()).toEqual({
      ...noFaultCounts(),
      publishes: 2 * n,
      delayed: n,
      connections: 1,
    });
    const base = median(latency(0, n));
    const delayed = median(latency(n, 2 * n));
    expect(Math.min(...latency(n, 2 * n))).toBeGreaterThanOrEqual(20);
    // Everything runs in this process; the ±2 ms bound assumes the CPU is not oversubscribed
    // (a starved process wakes from its 20 ms sleep late, which no proxy can avoid).
    const msg = `median latency ${base.toFixed(2)} ms → ${delayed.toFixed(2)} ms`;
    expect(delayed - base, msg).toBeGreaterThanOrEqual(18);
    expect(delayed - base, msg).toBeLessThanOrEqual(22);
  });

  it('keeps other packet types queued behind a delayed PUBLISH', async () => {
    const { proxy, topic, received, client } = await setup({ delayMs: 100 });
    const t0 = performance.now();
    publisher.publish(topic, '1', { qos: 0 });
    await sleep(25); // the PUBLISH is now waiting in the proxy
    let subackAt = 0;
    await new Promise<void>((resolve, reject) =>
      client.subscribe(`${topic}/other`, { qos: 0 }, (err) => {
        subackAt = performance.now();
        if (err) reject(err);
        else resolve();
      }),
    );
    expect(received.length).toBe(1);
    expect(received[0].at).toBeLessThanOrEqual(subackAt);
    expect(received[0].at - t0).toBeGreaterThanOrEqual(100);
    expect(proxy.counts().delayed).toBe(1);
  });

  /** A client through the proxy with a known client id; records the acks it receives and when. */
  async function ackClient(url: string, clientId: string) {
    const client = mqtt.connect(url, { clientId, reconnectPeriod: 0 });
    clients.push(client);
    const acks: { cmd: string; id: number; at: number }[] = [];
    client.on('packetreceive', (p: { cmd: string; messageId?: number }) => {
      if (p.cmd === 'puback' || p.cmd === 'pubrec' || p.cmd === 'pubcomp') acks.push({ cmd: p.cmd, id: p.messageId ?? -1, at: performance.now() });
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    return { client, acks };
  }

  it('delays acks by ackDelayMs, and holds the chosen ones back (listed with client id and packet id)', async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: broker.port }, { ackDelayMs: 80 });
    proxies.push(proxy);
    const { client, acks } = await ackClient(proxy.url, 'ack-1');
    expect(proxy.clients()).toEqual(['ack-1']);
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => client.publish('fp/ack', 'a', { qos: 1 }, (e) => (e ? reject(e) : resolve())));
    expect(acks.map((a) => a.cmd)).toEqual(['puback']);
    expect(acks[0].at - t0).toBeGreaterThanOrEqual(80);
    await new Promise<void>((resolve, reject) => client.publish('fp/ack', 'b', { qos: 2 }, (e) => (e ? reject(e) : resolve())));
    expect(acks.map((a) => a.cmd)).toEqual(['puback', 'pubrec', 'pubcomp']);
    expect(acks[2].at - acks[1].at).toBeGreaterThanOrEqual(80); // PUBREL → PUBCOMP waited too
    expect(proxy.counts()).toMatchObject({ acksDelayed: 3, acksHeld: 0, publishes: 0, clientPublishes: 2, clientDups: 0, clientPubrels: 1 });

    // Hold PUBCOMP only: the QoS 2 flow stops between PUBREC and PUBCOMP; QoS 1 passes.
    proxy.setRules({ holdAcks: ['pubcomp'] });
    let q2done = false;
    client.publish('fp/ack', 'c', { qos: 2 }, () => (q2done = true));
    await new Promise<void>((resolve, reject) => client.publish('fp/ack', 'd', { qos: 1 }, (e) => (e ? reject(e) : resolve())));
    await sleep(100);
    expect(q2done).toBe(false);
    const rec = acks.filter((a) => a.cmd === 'pubrec');
    expect(rec.length).toBe(2);
    expect(proxy.held()).toEqual([{ clientId: 'ack-1', type: 'pubcomp', id: rec[1].id }]);

    // Hold all: a QoS 1 publish waits; counted.
    proxy.setRules({ holdAcks: true });
    let q1done = false;
    client.publish('fp/ack', 'e', { qos: 1 }, () => (q1done = true));
    await sleep(100);
    expect(q1done).toBe(false);
    expect(proxy.counts()).toMatchObject({ acksHeld: 2, acksDelayed: 3 });
    expect(proxy.held().map((h) => h.type)).toEqual(['pubcomp', 'puback']);
    expect(() => proxy.setRules({ holdAcks: ['nope' as 'puback'] })).toThrow(RangeError);
    client.end(true);
  });

  it('kills one client by id (reset, no DISCONNECT) or all, and counts it', async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: broker.port });
    proxies.push(proxy);
    const a = await ackClient(proxy.url, 'kill-a');
    const b = await ackClient(proxy.url, 'kill-b');
    const c = await ackClient(proxy.url, 'kill-c');
    const closed = (m: MqttClient) =>
      new Promise<string>((r) => {
        let err = '';
        m.on('error', (e: Error & { code?: string | number }) => (err = String(e.code ?? e.message)));
        m.once('close', () => r(err));
      });
    const aClosed = closed(a.client);
    expect(proxy.kill('kill-a')).toBe(1);
    expect(await aClosed).toBe('ECONNRESET');
    expect(proxy.kill('nobody')).toBe(0);
    await sleep(50);
    expect(b.client.connected && c.client.connected).toBe(true);
    expect(proxy.clients()).toEqual(['kill-b', 'kill-c']);
    const both = Promise.all([closed(b.client), closed(c.client)]);
    expect(proxy.kill()).toBe(2);
    await both;
    expect(proxy.clients()).toEqual([]);
    expect(proxy.counts()).toMatchObject({ killed: 3, connections: 3 });
  });

  it('stalls: stops reading from clients until the rule is lifted (the client socket cannot drain)', async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: broker.port });
    proxies.push(proxy);
    const sock: Socket = netConnect({ host: '127.0.0.1', port: proxy.port });
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.on('error', () => {});
    sock.write(generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'stall-1', clean: true, keepalive: 0 }));
    await sleep(50);
    proxy.setRules({ stall: true });
    const publish = generate({ cmd: 'publish', topic: 'fp/stall', payload: Buffer.alloc(60_000, 1), qos: 0, dup: false, retain: false });
    // Far more than the loopback socket buffers on both sides of the proxy can take.
    for (let k = 0; k < 1000; k++) sock.write(publish);
    await sleep(300);
    const stuck = sock.writableLength;
    expect(stuck).toBeGreaterThan(0);
    expect(proxy.clients()).toEqual(['stall-1']);
    const drained = new Promise<void>((r) => sock.once('drain', () => r()));
    proxy.setRules({});
    await drained;
    expect(sock.writableLength).toBe(0);
    // A re-send (DUP = 1) and a PUBREL are counted as such.
    sock.write(generate({ cmd: 'publish', topic: 'fp/stall', payload: Buffer.from('x'), qos: 1, messageId: 9, dup: true, retain: false }));
    sock.write(generate({ cmd: 'pubrel', messageId: 9 }));
    await sleep(100);
    expect(proxy.counts()).toMatchObject({ clientPublishes: 1001, clientDups: 1, clientPubrels: 1 });
    sock.destroy();
  });

  it('closes the client when the broker side closes, and close() ends everything', async () => {
    const other = await startEmbeddedBroker();
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: other.port });
    const a = await connectClient(proxy.url);
    const aClosed = new Promise<void>((r) => a.once('close', () => r()));
    await other.close();
    await aClosed;

    const b = await connectClient(proxy.url).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(Error); // broker gone: the proxy closes the client before CONNACK

    const up = await startEmbeddedBroker();
    const proxy2 = await startFaultProxy({ host: '127.0.0.1', port: up.port });
    const c = await connectClient(proxy2.url);
    const cClosed = new Promise<void>((r) => c.once('close', () => r()));
    await proxy2.close();
    await cClosed;
    expect(proxy2.counts().connections).toBe(1);
    expect(proxy.counts().connections).toBe(2);
    c.end(true);
    a.end(true);
    await proxy.close();
    await up.close();
  });
});
