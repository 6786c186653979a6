import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import { MemoryDriver } from './memory.js';
import { client, publish, settle } from './memoryClient.test-helper.js';
import { NotSent, SessionEnded } from './driver.js';

describe('memory driver: broker sessions', () => {
  it('clean vs kept (3.1.1): session-present, QoS 1/2 queued for an absent subscriber, QoS 0 not', async () => {
    const mem = new MemoryDriver();
    const s = await client(mem, 's', { clean: false });
    expect(s.conn.sessionPresent).toBe(false);
    await s.conn.subscribe([{ topic: 't', qos: 2 }]);
    await s.conn.end();
    const p = await client(mem, 'p');
    publish(p.conn, 't', 'q0', 0);
    publish(p.conn, 't', 'q1', 1);
    publish(p.conn, 't', 'q2', 2);
    await settle();
    expect([mem.counts.queued, mem.counts.offlineDropped]).toEqual([2, 1]);
    const back = await client(mem, 's', { clean: false });
    await settle();
    expect(back.conn.sessionPresent).toBe(true);
    expect(back.got.map((g) => [g.payload, g.qos])).toEqual([
      ['q1', 1],
      ['q2', 2],
    ]);
    expect([mem.counts.sessionsResumed, mem.counts.redelivered]).toEqual([1, 0]);
    // A clean connect throws the session away: nothing queued survives.
    await back.conn.end();
    publish(p.conn, 't', 'gone', 1);
    await settle();
    const clean = await client(mem, 's', { clean: true });
    await settle();
    expect([clean.conn.sessionPresent, clean.got.length, mem.counts.discarded]).toEqual([false, 0, 1]);
  });

  it('MQTT 5 session expiry runs on the clock: kept for sessionExpirySec, then gone', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock });
    const v5 = { protocolVersion: 5 as const, clean: false, sessionExpirySec: 10 };
    const s = await client(mem, 's', v5);
    await s.conn.subscribe([{ topic: 't', qos: 1 }]);
    s.conn.destroy();
    clock.advance(9_999);
    expect(mem.session('s')).toBeDefined();
    const again = await client(mem, 's', v5);
    expect(again.conn.sessionPresent).toBe(true);
    again.conn.destroy();
    clock.advance(10_000);
    expect([mem.session('s'), mem.counts.sessionsExpired]).toEqual([undefined, 1]);
    const late = await client(mem, 's', v5);
    expect(late.conn.sessionPresent).toBe(false);
    // Expiry 0 (the MQTT 5 default): the session ends with the connection.
    const zero = await client(mem, 'z', { protocolVersion: 5, clean: false });
    zero.conn.destroy();
    expect(mem.session('z')).toBeUndefined();
  });

  it('a second connection with the same client id takes the session over: the first sees onLost', async () => {
    const mem = new MemoryDriver();
    const a = await client(mem, 'c', { protocolVersion: 5, clean: false, sessionExpirySec: 60 });
    const b = await client(mem, 'c', { protocolVersion: 5, clean: false, sessionExpirySec: 60 });
    expect(a.lost).toEqual(['broker sent DISCONNECT: Session taken over']);
    expect([b.conn.sessionPresent, mem.counts.takeovers, mem.connection('c')?.opts]).toEqual([true, 1, mem.connectOptions[1]]);
  });

  it('a kept subscriber session re-sends what was sent and not acknowledged, with DUP, after a reconnect', async () => {
    const mem = new MemoryDriver({ record: true });
    const s = await client(mem, 's', { clean: false });
    await s.conn.subscribe([{ topic: 't', qos: 1 }]);
    mem.faults.dropDeliveries({ times: 1 });
    const p = await client(mem, 'p');
    publish(p.conn, 't', 'x', 1);
    await settle();
    expect([s.got.length, mem.counts.dropped, mem.session('s')!.out.size]).toEqual([0, 1, 1]);
    mem.kill('s');
    const back = await client(mem, 's', { clean: false });
    await settle();
    expect(back.payloads()).toEqual(['x']);
    expect([mem.counts.redelivered, mem.log[0].dup, mem.session('s')!.out.size]).toEqual([1, true, 0]);
  });

  it('QoS 2 to a subscriber past PUBREC: the resumed session sends PUBREL, not the message again', async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, deliverDelayMs: 5 });
    const s = await client(mem, 's', { clean: false });
    await s.conn.subscribe([{ topic: 't', qos: 2 }]);
    const p = await client(mem, 'p');
    publish(p.conn, 't', 'x', 2);
    await settle();
    clock.advance(5); // the PUBLISH arrives; the subscriber's PUBREC reaches the broker, whose PUBREL is on its way
    await settle();
    const copy = [...mem.session('s')!.out.values()][0];
    expect([s.got.length, copy.rec]).toEqual([1, true]);
    mem.kill('s');
    const back = await client(mem, 's', { clean: false });
    clock.advance(5);
    await settle();
    expect([back.got.length, mem.counts.pubrelRedelivered, mem.counts.redelivered, mem.session('s')!.out.size]).toEqual([0, 1, 0, 0]);
  });

  it('QoS 2 to a subscriber before its PUBREC: the resend is handed to onMessage once per connection', async () => {
    const mem = new MemoryDriver();
    const s = await client(mem, 's', { clean: false });
    await s.conn.subscribe([{ topic: 't', qos: 2 }]);
    mem.faults.duplicateDeliveries({ times: 1 });
    const p = await client(mem, 'p');
    publish(p.conn, 't', 'x', 2);
    await settle();
    expect([s.got.length, mem.counts.duplicated, mem.counts.qos2DuplicatesIgnored]).toEqual([1, 1, 1]);
    expect(mem.counts.sent).toBe(mem.counts.delivered + mem.counts.qos2DuplicatesIgnored);
  });
});

describe('memory driver: the outbound session (publisher side)', () => {
  const kept = { clean: false };

  it('QoS 1 without its PUBACK survives a lost connection: re-sent with DUP, done once with puback, delivered twice (at least once)', async () => {
    const mem = new MemoryDriver();
    const sub = await client(mem, 'sub');
    await sub.conn.subscribe([{ topic: 't', qos: 1 }]);
    const session = mem.newSession();
    const p = await client(mem, 'p', { ...kept, session });
    const hold = mem.faults.holdAcks({ times: 1 });
    const o = publish(p.conn, 't', 'x', 1);
    await settle();
    expect([o.done, session.pending(), mem.counts.acksHeld]).toEqual([false, 1, 1]);
    mem.kill('p');
    expect([p.lost, o.done, session.pending()]).toEqual([['ECONNRESET'], false, 1]);
    const again = await client(mem, 'p', { ...kept, session });
    await settle();
    expect(again.conn.sessionPresent).toBe(true);
    expect(o).toEqual({ done: true, calls: 1, err: undefined, ack: 'puback' });
    expect([mem.counts.resent, mem.counts.written, sub.got.length, hold.hits]).toEqual([1, 2, 2, 1]);
    expect(session.pending()).toBe(0);
  });

  it('QoS 2 without PUBREC: the DUP resend is acknowledged but not routed again (exactly once)', async () => {
    const mem = new MemoryDriver();
    const sub = await client(mem, 'sub');
    await sub.conn.subscribe([{ topic: 't', qos: 2 }]);
    const session = mem.newSession();
    const p = await client(mem, 'p', { ...kept, session });
    mem.faults.holdAcks({ when: (e) => e.kind === 'pubrec', times: 1 });
    const o = publish(p.conn, 't', 'x', 2);
    await settle();
    mem.kill('p');
    await client(mem, 'p', { ...kept, session });
    await settle();
    expect(o.ack).toBe('pubcomp');
    expect([mem.counts.resent, mem.counts.inboundDuplicates, mem.counts.accepted, sub.got.length]).toEqual([1, 1, 1, 1]);
  });

  it('QoS 2 past PUBREC: the resumed session sends PUBREL, then PUBCOMP completes it', async () => {
    const mem = new MemoryDriver();
    const session = mem.newSession();
    const p = await client(mem, 'p', { ...kept, session });
    mem.faults.holdAcks({ when: (e) => e.kind === 'pubcomp' });
    const o = publish(p.conn, 't', 'x', 2);
    await settle();
    mem.kill('p');
    mem.faults.holdAckRules[0].remove();
    await client(mem, 'p', { ...kept, session });
    await settle();
    expect([o.ack, mem.counts.pubrelResent, mem.counts.resent, mem.counts.accepted]).toEqual(['pubcomp', 1, 0, 1]);
  });

  it('fails what it holds: SessionEnded when the broker kept no session (or a clean one), NotSent when never written', async () => {
    const mem = new MemoryDriver();
    mem.faults.holdAcks();
    // Kept session, but the reconnect is clean: session-present = 0.
    const s1 = mem.newSession();
    const p1 = await client(mem, 'p1', { ...kept, session: s1 });
    const a = publish(p1.conn, 't', 'a', 1);
    await settle();
    mem.kill('p1');
    const re = await client(mem, 'p1', { clean: true, session: s1 });
    expect([re.conn.sessionPresent, a.err instanceof SessionEnded]).toEqual([false, true]);
    // Clean session: fails at once when the connection is lost.
    const s2 = mem.newSession();
    const p2 = await client(mem, 'p2', { clean: true, session: s2 });
    const b = publish(p2.conn, 't', 'b', 2);
    await settle();
    mem.kill('p2');
    expect(b.err).toBeInstanceOf(SessionEnded);
    // Never written (the broker stopped reading): NotSent, QoS 0 and QoS 1 alike.
    const p3 = await client(mem, 'p3');
    mem.stall('p3');
    const c0 = publish(p3.conn, 't', 'c', 0);
    const c1 = publish(p3.conn, 't', 'c', 1);
    mem.kill('p3');
    expect([c0.err, c1.err]).toEqual([expect.any(NotSent), expect.any(NotSent)]);
    expect([mem.counts.doneSessionEnded, mem.counts.doneNotSent]).toEqual([2, 2]);
  });

  it('a kept session re-sends never-written publishes with DUP = 0; abandon() fails what is held', async () => {
    const mem = new MemoryDriver({ record: true });
    const sub = await client(mem, 'sub');
    await sub.conn.subscribe([{ topic: 't', qos: 1 }]);
    const session = mem.newSession();
    const p = await client(mem, 'p', { ...kept, session });
    mem.stall('p');
    const o = publish(p.conn, 't', 'x', 1);
    mem.kill('p');
    expect(session.pending()).toBe(1);
    await client(mem, 'p', { ...kept, session });
    await settle();
    expect([o.ack, mem.counts.resentUnwritten, mem.counts.resent, sub.got.length]).toEqual(['puback', 1, 0, 1]);

    mem.faults.holdAcks();
    const h = publish(mem.connection('p')!, 't', 'y', 1);
    await settle();
    session.abandon(new SessionEnded('run ended'));
    expect([h.err?.message, session.pending()]).toEqual(['run ended', 0]);
  });

  it('Receive Maximum: exposed on MQTT 5, and a client over it is disconnected (0x93)', async () => {
    const mem = new MemoryDriver({ receiveMaximum: 2 });
    const v4 = await client(mem, 'v4');
    expect(v4.conn.receiveMaximum).toBeUndefined();
    const p = await client(mem, 'p', { protocolVersion: 5 });
    expect(p.conn.receiveMaximum).toBe(2);
    mem.faults.holdAcks();
    const os = [1, 2, 3].map((i) => publish(p.conn, 't', String(i), 1));
    await settle();
    expect(p.lost).toEqual(['broker sent DISCONNECT: Receive Maximum exceeded']);
    expect([mem.counts.receiveMaximumExceeded, mem.counts.maxInflight, mem.counts.accepted]).toEqual([1, 2, 2]);
    expect(os.map((o) => o.err?.name)).toEqual(['SessionEnded', 'SessionEnded', 'SessionEnded']);
  });

  it("Receive Maximum counts a publish until its ack arrives (ackDelayMs is the broker's)", async () => {
    const clock = new FakeClock();
    const mem = new MemoryDriver({ clock, receiveMaximum: 2, ackDelayMs: 10 });
    const p = await client(mem, 'p', { protocolVersion: 5 });
    const first = [publish(p.conn, 't', 'a', 1), publish(p.conn, 't', 'b', 2)];
    await settle();
    clock.advance(9);
    expect(publish(p.conn, 't', 'c', 1).done).toBe(false);
    await settle();
    expect(p.lost).toEqual(['broker sent DISCONNECT: Receive Maximum exceeded']);

    const q = await client(mem, 'q', { protocolVersion: 5 });
    publish(q.conn, 't', 'a', 1);
    publish(q.conn, 't', 'b', 1);
    await settle();
    clock.advance(10);
    await settle();
    const later = [publish(q.conn, 't', 'c', 1), publish(q.conn, 't', 'd', 1)];
    await settle();
    clock.advance(10);
    await settle();
    expect([q.lost, later.map((o) => o.ack), mem.counts.maxInflight, first.map((o) => o.err?.name)]).toEqual([
      [],
      ['puback', 'puback'],
      2,
      ['SessionEnded', 'SessionEnded'],
    ]);
  });
});
