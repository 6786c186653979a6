import { describe, expect, it } from 'vitest';
import type { QoS } from '../scenario/model.js';
import { FakeClock } from '../shared/fakeClock.js';
import { MemoryDriver } from './memory.js';
import { client, publish, settle } from './memoryClient.test-helper.js';
import { ConnectFailure, NotSent } from './driver.js';

/** A subscriber on `t` at `qos` and a publisher that sends `n` messages "0".."n-1" at `qos`. */
async function fanOut(mem: MemoryDriver, n: number, qos: QoS) {
  const s = await client(mem, 's');
  await s.conn.subscribe([{ topic: 't', qos }]);
  const p = await client(mem, 'p');
  const outcomes = Array.from({ length: n }, (_, i) => publish(p.conn, 't', String(i), qos));
  await settle();
  return { s, p, outcomes };
}

describe('memory driver: delivery faults', () => {
  const table: { name: string; qos: QoS; fault: (m: MemoryDriver) => void; n: number; delivered: number; counts: Record<string, number> }[] = [
    { name: 'drop every 3rd (QoS 0)', qos: 0, n: 9, fault: (m) => m.faults.dropDeliveries({ every: 3 }), delivered: 6, counts: { dropped: 3, sent: 9 } },
    { name: 'drop the first 2 (QoS 1)', qos: 1, n: 5, fault: (m) => m.faults.dropDeliveries({ times: 2 }), delivered: 3, counts: { dropped: 2 } },
    {
      name: 'drop by payload',
      qos: 0,
      n: 6,
      fault: (m) => m.faults.dropDeliveries({ when: (e) => e.payload.toString() === '4' }),
      delivered: 5,
      counts: { dropped: 1 },
    },
    {
      name: 'duplicate every 2nd (QoS 1): shows twice',
      qos: 1,
      n: 4,
      fault: (m) => m.faults.duplicateDeliveries({ every: 2 }),
      delivered: 6,
      counts: { duplicated: 2, sent: 6 },
    },
    {
      name: 'duplicate every 2nd (QoS 2): shows once',
      qos: 2,
      n: 4,
      fault: (m) => m.faults.duplicateDeliveries({ every: 2 }),
      delivered: 4,
      counts: { duplicated: 2, qos2DuplicatesIgnored: 2 },
    },
    { name: 'duplicate every one (QoS 0)', qos: 0, n: 3, fault: (m) => m.faults.duplicateDeliveries(), delivered: 6, counts: { duplicated: 3 } },
  ];
  it.each(table)('$name', async ({ qos, n, fault, delivered, counts }) => {
    const mem = new MemoryDriver();
    fault(mem);
    const { s } = await fanOut(mem, n, qos);
    expect(s.got.length).toBe(delivered);
    const c = mem.counts as unknown as Record<string, number>;
    for (const [k, v] of Object.entries(counts)) expect([k, c[k]]).toEqual([k, v]);
    // The broker's frames add up: each arrived, was dropped, or was a QoS 2 resend the client ignored.
    expect(mem.counts.sent).toBe(mem.counts.delivered + mem.counts.dropped + mem.counts.lostInTransit + mem.counts.qos2DuplicatesIgnored);
  });

  it('a delayed delivery is overtaken by the ones after it (fake clock)', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, deliverDelayMs: 1 });
    const rule = mem.faults.delayDeliveries(10, { when: (e) => e.payload.toString() === '1' });
    const { s } = await fanOut(mem, 4, 1);
    clock.advance(1);
    await settle();
    expect(s.payloads()).toEqual(['0', '2', '3']);
    clock.advance(10);
    await settle();
    expect(s.payloads()).toEqual(['0', '2', '3', '1']);
    expect([rule.seen, rule.hits, mem.counts.delayed]).toEqual([1, 1, 1]);
  });

  it('a removed rule stops; rules count what they saw and what they did', async () => {
    const mem = new MemoryDriver();
    const rule = mem.faults.dropDeliveries({ every: 2 });
    const { s, p } = await fanOut(mem, 4, 0);
    rule.remove();
    publish(p.conn, 't', 'after', 0);
    await settle();
    expect([s.got.length, rule.seen, rule.hits]).toEqual([3, 4, 2]);
  });

  it('a delivery in flight when its connection closes is lost in transit', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, deliverDelayMs: 5 });
    const { s } = await fanOut(mem, 2, 0);
    s.conn.destroy();
    clock.advance(5);
    await settle();
    expect([s.got.length, mem.counts.lostInTransit]).toEqual([0, 2]);
  });
});

describe('memory driver: ack and publish faults', () => {
  it('holdAcks keeps PUBACKs back until releaseAcks; delayAcks delays them', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock });
    mem.faults.holdAcks({ when: (e) => e.packetId === 2 });
    mem.faults.delayAcks(7, { when: (e) => e.packetId === 3 });
    const { outcomes } = await fanOut(mem, 3, 1);
    expect(outcomes.map((o) => o.done)).toEqual([true, false, false]);
    expect(mem.heldAcks()).toEqual([{ clientId: 'p', kind: 'puback', packetId: 2 }]);
    clock.advance(7);
    await settle();
    expect(outcomes.map((o) => o.done)).toEqual([true, false, true]);
    expect(mem.releaseAcks()).toBe(1);
    await settle();
    expect(outcomes.map((o) => o.ack)).toEqual(['puback', 'puback', 'puback']);
    expect([mem.counts.acksHeld, mem.counts.acksReleased, mem.counts.acksDelayed, mem.counts.acksSent]).toEqual([1, 1, 1, 3]);
  });

  it('swallowPublishes: the broker loses them (no delivery, no ack)', async () => {
    const mem = new MemoryDriver();
    mem.faults.swallowPublishes({ every: 2 });
    const { s, p, outcomes } = await fanOut(mem, 4, 1);
    expect([s.payloads(), outcomes.map((o) => o.done), p.conn.inflight()]).toEqual([['0', '2'], [true, false, true, false], 2]);
    expect([mem.counts.swallowed, mem.counts.written, mem.counts.accepted]).toEqual([2, 4, 2]);
  });

  it('refusePublishes: MQTT 5 fails the publish with the reason; MQTT 3.1.1 closes the connection', async () => {
    const mem = new MemoryDriver();
    mem.faults.refusePublishes('Not authorized', { when: (e) => e.topic === 'secret' });
    const v5 = await client(mem, 'v5', { protocolVersion: 5 });
    const r1 = publish(v5.conn, 'secret', 'x', 1);
    const r2 = publish(v5.conn, 'secret', 'x', 2);
    const ok = publish(v5.conn, 'open', 'x', 1);
    await settle();
    expect([r1.err?.message, r2.err?.message, ok.ack]).toEqual(['PUBACK: Not authorized', 'PUBREC: Not authorized', 'puback']);
    const v4 = await client(mem, 'v4');
    const r3 = publish(v4.conn, 'secret', 'x', 1);
    await settle();
    expect(v4.lost).toEqual(['closed by the broker right after a PUBLISH']);
    expect(r3.err?.name).toBe('SessionEnded');
    expect([mem.counts.refused, mem.counts.doneRefused, mem.counts.lost]).toEqual([3, 2, 1]);
  });

  it('refuseConnects: connect() rejects with ConnectFailure(reason), as often as asked', async () => {
    const mem = new MemoryDriver();
    mem.faults.refuseConnects('CONNACK: Not authorized', { times: 2 });
    for (let i = 0; i < 2; i++) await expect(client(mem, 'c')).rejects.toEqual(new ConnectFailure('CONNACK: Not authorized'));
    await expect(client(mem, 'c')).resolves.toBeTruthy();
    expect([mem.counts.connectAttempts, mem.counts.connectsRefused, mem.counts.connects]).toEqual([3, 2, 1]);
  });

  it('kill: onLost with the reason, once; end() and destroy() never report a loss', async () => {
    const mem = new MemoryDriver();
    const a = await client(mem, 'a');
    const b = await client(mem, 'b');
    const c = await client(mem, 'c');
    expect(mem.kill('a', 'keepalive timeout')).toBe(true);
    expect(mem.kill('a')).toBe(false);
    await b.conn.end();
    c.conn.destroy();
    expect([a.lost, b.lost, c.lost]).toEqual([['keepalive timeout'], [], []]);
    expect([mem.counts.lost, mem.counts.ended, mem.counts.destroyed, mem.killAll()]).toEqual([1, 1, 1, 0]);
    const late = publish(a.conn, 't', 'x', 0);
    expect(late.err).toBeInstanceOf(NotSent);
  });
});

describe('memory driver: back-pressure', () => {
  it('stall: writable() false and nothing written until drain(); then written, and onDrain once', async () => {
    const mem = new MemoryDriver();
    const { s, p } = await fanOut(mem, 0, 0);
    expect(mem.stall('p')).toBe(true);
    expect(p.conn.writable()).toBe(false);
    const os = [0, 1, 2].map((i) => publish(p.conn, 't', String(i), 0));
    await settle();
    expect([os.some((o) => o.done), s.got.length, mem.counts.written]).toEqual([false, 0, 0]);
    mem.drain('p');
    await settle();
    expect([os.every((o) => o.done && !o.err), s.payloads(), p.drains, p.conn.writable()]).toEqual([true, ['0', '1', '2'], 1, true]);
    expect([mem.counts.stalls, mem.counts.drains, mem.counts.drainEvents]).toEqual([1, 1, 1]);
  });

  it('highWater with a write delay: writable() false at highWater unwritten publishes, onDrain when written', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, writeDelayMs: 3, highWater: 2 });
    const p = await client(mem, 'p');
    publish(p.conn, 't', 'a', 0);
    expect(p.conn.writable()).toBe(true);
    publish(p.conn, 't', 'b', 1);
    expect(p.conn.writable()).toBe(false);
    clock.advance(3);
    await settle();
    expect([p.conn.writable(), p.drains, mem.counts.written]).toEqual([true, 1, 2]);
  });

  it('end() waits for what is queued to be written, then closes; destroy() fails it with NotSent', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, writeDelayMs: 100 });
    const s = await client(mem, 's');
    const subscribed = s.conn.subscribe([{ topic: 't', qos: 0 }]);
    clock.advance(100);
    await subscribed;
    const a = await client(mem, 'a');
    const b = await client(mem, 'b');
    const ea = publish(a.conn, 't', 'a', 0);
    const eb = publish(b.conn, 't', 'b', 0);
    let closed = false;
    const ending = a.conn.end().then(() => (closed = true));
    b.conn.destroy();
    expect(publish(a.conn, 't', 'late', 0).err).toBeInstanceOf(NotSent);
    clock.advance(99);
    await settle();
    expect([closed, ea.done]).toEqual([false, false]);
    clock.advance(1);
    await ending;
    expect([ea.done && !ea.err, eb.err]).toEqual([true, expect.any(NotSent)]);
    expect(s.payloads()).toEqual(['a']);
  });

  it('end() on a stalled connection gives up after 2 s: what was never written is NotSent, and no loss is reported', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock });
    const a = await client(mem, 'a');
    mem.stall('a');
    const o = publish(a.conn, 't', 'x', 0);
    const ending = a.conn.end();
    clock.advance(1999);
    await settle();
    expect(o.done).toBe(false);
    clock.advance(1);
    await ending;
    expect([o.err, a.lost, mem.counts.written]).toEqual([expect.any(NotSent), [], 0]);
  });

  it('a caller that ignores writable() is refused with NotSent once 8 MiB wait unwritten', async () => {
    const mem = new MemoryDriver();
    const p = await client(mem, 'p');
    mem.stall('p');
    const big = 'x'.repeat(1024 * 1024);
    const os = Array.from({ length: 10 }, () => publish(p.conn, 't', big, 0));
    expect(os.map((o) => o.err?.name ?? 'waiting')).toEqual([...Array(9).fill('waiting'), 'NotSent']);
    expect(mem.counts.doneNotSent).toBe(1);
  });
});
