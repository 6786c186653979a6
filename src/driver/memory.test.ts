import { describe, expect, it } from 'vitest';
import type { QoS } from '../scenario/model.js';
import { FakeClock } from '../shared/fakeClock.js';
import { MemoryDriver } from './memory.js';
import { client, publish, settle } from './memoryClient.test-helper.js';

const QOS: QoS[] = [0, 1, 2];

describe('memory driver: QoS flows', () => {
  const table = QOS.flatMap((pub) => QOS.map((sub) => ({ pub, sub })));
  it.each(table)('publish QoS $pub to a QoS $sub subscription: arrives at min, acked by the right flow', async ({ pub, sub }) => {
    const mem = new MemoryDriver();
    const s = await client(mem, 's');
    expect(await s.conn.subscribe([{ topic: 't', qos: sub }])).toEqual([sub]);
    const p = await client(mem, 'p');
    const o = publish(p.conn, 't', 'x', pub);
    await settle();
    expect(s.got).toEqual([{ topic: 't', payload: 'x', qos: Math.min(pub, sub), retained: false }]);
    expect(o).toEqual({ done: true, calls: 1, err: undefined, ack: [undefined, 'puback', 'pubcomp'][pub] });
    const c = mem.counts;
    expect([c.publishes, c.written, c.accepted, c.routed, c.sent, c.delivered]).toEqual([1, 1, 1, 1, 1, 1]);
    // PUBACK; or PUBREC + PUBCOMP.
    expect(c.acksSent).toBe([0, 1, 2][pub]);
    expect([c.doneAcked, c.doneWritten]).toEqual(pub === 0 ? [0, 1] : [1, 0]);
    // Nothing left in flight on either side.
    expect(p.conn.inflight()).toBe(0);
    expect(mem.session('s')!.out.size).toBe(0);
    expect(mem.session('p')!.q2In.size).toBe(0);
  });

  it('QoS 0 is done once written, not before: writeDelayMs on the fake clock', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, writeDelayMs: 5 });
    const p = await client(mem, 'p');
    const o = publish(p.conn, 't', 'x', 0);
    clock.advance(4);
    await settle();
    expect([o.done, mem.counts.written]).toEqual([false, 0]);
    clock.advance(1);
    await settle();
    expect([o.done, mem.counts.written]).toEqual([true, 1]);
  });

  it('delays: written after writeDelayMs, delivered deliverDelayMs later, acked ackDelayMs after the broker took it', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, writeDelayMs: 2, deliverDelayMs: 5, ackDelayMs: 3 });
    const s = await client(mem, 's');
    await s.conn.subscribe([{ topic: 't', qos: 1 }]);
    const p = await client(mem, 'p');
    const o = publish(p.conn, 't', 'x', 1);
    const seen: [number, number, boolean][] = [];
    for (let ms = 1; ms <= 8; ms++) {
      clock.advance(1);
      await settle();
      seen.push([ms, s.got.length, o.done]);
    }
    expect(seen).toEqual([
      [1, 0, false],
      [2, 0, false],
      [3, 0, false],
      [4, 0, false],
      [5, 0, true], // 2 + 3: PUBACK
      [6, 0, true],
      [7, 1, true],
      [8, 1, true], // 2 + 5: the delivery
    ]);
  });
});

describe('memory driver: topic filters', () => {
  const cases: { filter: string; topic: string; match: boolean }[] = [
    { filter: 'a/b', topic: 'a/b', match: true },
    { filter: 'a/b', topic: 'a/c', match: false },
    { filter: 'a/+', topic: 'a/b', match: true },
    { filter: 'a/+', topic: 'a/b/c', match: false },
    { filter: 'a/#', topic: 'a/b/c', match: true },
    { filter: 'a/#', topic: 'a', match: true },
    { filter: '#', topic: '$SYS/x', match: false },
    { filter: '+/x', topic: '$SYS/x', match: false },
    { filter: '$SYS/#', topic: '$SYS/x', match: true },
    { filter: '+/+/c', topic: 'a/b/c', match: true },
  ];
  it.each(cases)('$filter ← $topic: $match', async ({ filter, topic, match }) => {
    const mem = new MemoryDriver();
    const s = await client(mem, 's');
    await s.conn.subscribe([{ topic: filter, qos: 0 }]);
    publish(s.conn, topic, 'x', 0);
    await settle();
    expect(s.got.length).toBe(match ? 1 : 0);
    expect(mem.counts.routed).toBe(match ? 1 : 0);
  });

  it('overlapping filters of one client: one copy at the highest granted QoS (perClient), or one per filter', async () => {
    for (const [overlap, copies] of [
      ['perClient', [2]],
      ['perSubscription', [0, 2]],
    ] as const) {
      const mem = new MemoryDriver({ overlap });
      const s = await client(mem, 's');
      await s.conn.subscribe([
        { topic: 'a/+', qos: 0 },
        { topic: 'a/#', qos: 2 },
      ]);
      publish(s.conn, 'a/b', 'x', 2);
      await settle();
      expect(s.got.map((g) => g.qos).sort()).toEqual(copies);
    }
  });

  it('unsubscribe stops deliveries', async () => {
    const mem = new MemoryDriver();
    const s = await client(mem, 's');
    await s.conn.subscribe([{ topic: 't', qos: 1 }]);
    await s.conn.unsubscribe!(['t', 'never']);
    publish(s.conn, 't', 'x', 1);
    await settle();
    expect([s.got.length, mem.counts.unsubscribed, mem.counts.accepted]).toEqual([0, 1, 1]);
  });
});

describe('memory driver: $share', () => {
  it('one member of a group per message, round-robin; every group and plain subscriber gets each', async () => {
    const mem = new MemoryDriver();
    const members = await Promise.all(['m1', 'm2', 'm3'].map((id) => client(mem, id)));
    for (const m of members) await m.conn.subscribe([{ topic: '$share/g/t/+', qos: 1 }]);
    const other = await client(mem, 'o');
    await other.conn.subscribe([{ topic: '$share/h/t/#', qos: 0 }]);
    const plain = await client(mem, 'p');
    await plain.conn.subscribe([{ topic: 't/+', qos: 0 }]);
    for (let i = 0; i < 9; i++) publish(plain.conn, 't/x', String(i), 1);
    await settle();
    expect(members.map((m) => m.payloads())).toEqual([
      ['0', '3', '6'],
      ['1', '4', '7'],
      ['2', '5', '8'],
    ]);
    expect(other.got.length).toBe(9);
    expect(plain.got.length).toBe(9);
    expect(mem.counts.routed).toBe(27);
  });

  it('skips members that are not connected while one is; queues for a kept session when none is', async () => {
    const mem = new MemoryDriver();
    const a = await client(mem, 'a', { clean: false });
    const b = await client(mem, 'b', { clean: false });
    for (const m of [a, b]) await m.conn.subscribe([{ topic: '$share/g/t', qos: 1 }]);
    await b.conn.end();
    const p = await client(mem, 'p');
    for (let i = 0; i < 4; i++) publish(p.conn, 't', String(i), 1);
    await settle();
    expect(a.payloads()).toEqual(['0', '1', '2', '3']);
    await a.conn.end();
    for (let i = 4; i < 8; i++) publish(p.conn, 't', String(i), 1);
    await settle();
    expect(mem.counts.queued).toBe(4);
    const b2 = await client(mem, 'b', { clean: false });
    const a2 = await client(mem, 'a', { clean: false });
    await settle();
    expect([a2.payloads().length + b2.payloads().length, a2.conn.sessionPresent, b2.conn.sessionPresent]).toEqual([4, true, true]);
    expect([...a2.payloads(), ...b2.payloads()].sort()).toEqual(['4', '5', '6', '7']);
  });
});

describe('memory driver: $share faults', () => {
  it('shareTwice: every Nth message of a group also goes to the next member', async () => {
    const mem = new MemoryDriver();
    const members = await Promise.all(['m1', 'm2'].map((id) => client(mem, id)));
    for (const m of members) await m.conn.subscribe([{ topic: '$share/g/t', qos: 1 }]);
    const rule = mem.faults.shareTwice({ every: 3 });
    for (let i = 0; i < 6; i++) publish(members[0].conn, 't', String(i), 1);
    await settle();
    // 0→m1, 1→m2, 2→m1 and m2, 3→m1, 4→m2, 5→m1 and m2
    expect(members.map((m) => m.payloads())).toEqual([
      ['0', '2', '3', '5'],
      ['1', '2', '4', '5'],
    ]);
    expect([rule.hits, mem.counts.sharedTwice, mem.counts.routed]).toEqual([2, 2, 8]);
  });
});

describe('memory driver: retained messages', () => {
  it('stored, sent on subscribe to exact and wildcard filters with retained = true, live copies without; empty payload clears', async () => {
    const mem = new MemoryDriver();
    const p = await client(mem, 'p');
    publish(p.conn, 'r/1', 'one', 1, true);
    publish(p.conn, 'r/2', 'two', 0, true);
    await settle();
    expect(mem.retained('r/1')?.payload.toString()).toBe('one');
    const s = await client(mem, 's');
    await s.conn.subscribe([{ topic: 'r/+', qos: 2 }]);
    await settle();
    expect(s.got).toEqual([
      { topic: 'r/1', payload: 'one', qos: 1, retained: true },
      { topic: 'r/2', payload: 'two', qos: 0, retained: true },
    ]);
    publish(p.conn, 'r/1', 'live', 1, true);
    publish(p.conn, 'r/2', '', 0, true);
    await settle();
    expect(s.got.slice(2).map((g) => [g.payload, g.retained])).toEqual([
      ['live', false],
      ['', false],
    ]);
    expect([mem.counts.retainedStored, mem.counts.retainedCleared, mem.counts.retainedDelivered]).toEqual([3, 1, 2]);
    const late = await client(mem, 'late');
    await late.conn.subscribe([{ topic: 'r/#', qos: 0 }]);
    await settle();
    expect(late.got).toEqual([{ topic: 'r/1', payload: 'live', qos: 0, retained: true }]);
  });

  it('none for shared subscriptions; none to wildcard filters when retainedToWildcards is false', async () => {
    const mem = new MemoryDriver({ retainedToWildcards: false });
    const p = await client(mem, 'p');
    publish(p.conn, 'r/1', 'one', 0, true);
    await settle();
    const s = await client(mem, 's');
    await s.conn.subscribe([
      { topic: 'r/+', qos: 0 },
      { topic: '$share/g/r/1', qos: 0 },
      { topic: 'r/1', qos: 0 },
    ]);
    await settle();
    expect(s.got).toEqual([{ topic: 'r/1', payload: 'one', qos: 0, retained: true }]);
  });

  it('a retained message arrives after the subscriber has its SUBACK', async () => {
    const mem = new MemoryDriver();
    const p = await client(mem, 'p');
    publish(p.conn, 'r', 'x', 0, true);
    await settle();
    const s = await client(mem, 's');
    const granted = await s.conn.subscribe([{ topic: 'r', qos: 0 }]);
    expect([granted, s.got.length]).toEqual([[0], 0]);
    await settle();
    expect(s.got.length).toBe(1);
  });
});

describe('memory driver: what the broker offers', () => {
  it('maxQoS 1 and qos2AsQos1 (a RabbitMQ-like broker): QoS 2 granted as 1, QoS 2 publishes completed by PUBACK and delivered at QoS 1', async () => {
    const mem = new MemoryDriver({ maxQoS: 1, qos2AsQos1: true });
    const s = await client(mem, 's');
    expect(
      await s.conn.subscribe([
        { topic: 't', qos: 2 },
        { topic: 'u', qos: 1 },
      ]),
    ).toEqual([1, 1]);
    const o = publish(s.conn, 't', 'x', 2);
    await settle();
    expect(o.ack).toBe('puback');
    expect(s.got[0].qos).toBe(1);
    expect([mem.counts.downgraded, mem.counts.granted, mem.counts.qos2AsQos1]).toEqual([1, 1, 1]);
  });

  it('$share refused (0x80), or taken as a plain topic; refuseFilter refuses what it picks', async () => {
    const refuse = new MemoryDriver({ sharedSubscriptions: 'refuse', refuseFilter: (f) => f === 'no' });
    const s = await client(refuse, 's');
    expect(
      await s.conn.subscribe([
        { topic: '$share/g/t', qos: 1 },
        { topic: 'no', qos: 0 },
        { topic: 't', qos: 0 },
      ]),
    ).toEqual([128, 128, 0]);
    expect(refuse.counts.subRefused).toBe(2);

    const literal = new MemoryDriver({ sharedSubscriptions: 'literal' });
    const l = await client(literal, 'l');
    expect(await l.conn.subscribe([{ topic: '$share/g/t', qos: 1 }])).toEqual([1]);
    publish(l.conn, 't', 'not for it', 1);
    publish(l.conn, '$share/g/t', 'literally', 1);
    await settle();
    expect(l.payloads()).toEqual(['literally']);
  });
});
