import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import { AS_PLANNED, SubscriptionIndex } from './ledger.js';
import { Recorder } from './recorder.js';
import { AwayLog, SessionBoard } from './sessions.js';
import type { QoS } from '../scenario/model.js';

const SELF = { eventLoopDelayMaxMs: 0, eventLoopDelayP99Ms: 0, busyMs: 0, intervalMs: 1000 };

describe('SessionBoard', () => {
  it('episodes: away, back with or without the session, seen the same from another thread', () => {
    const board = new SessionBoard(4);
    const other = new SessionBoard(board.buffer);
    expect(other.slots).toBe(4);
    board.leave(2, 2, 5000);
    expect([other.episode(1), other.episode(2), other.episode(3)]).toEqual([0, 1, 1]);
    expect(other.outcome(2, 1)).toBe('open');
    expect(other.expiresAt(3)).toBe(5000);
    board.back(2, 2, false);
    expect([other.episode(2), other.outcome(2, 1), other.outcome(3, 1)]).toEqual([0, 'ended', 'ended']);
    board.leave(2, 1, Infinity);
    expect(other.episode(2)).toBe(2);
    board.back(2, 1, true);
    expect([other.outcome(2, 1), other.outcome(2, 2)]).toEqual(['ended', 'kept']);
    board.back(2, 1, false); // not away: nothing changes
    expect(other.outcome(2, 2)).toBe('kept');
  });
});

/**
 * Two subscribers of "t/x" (slots 0 and 1), a publisher whose messages are each expected twice; the
 * subscriber in slot 1 goes away with a persistent session. Expected deliveries are counted by the real
 * SubscriptionIndex, the hook notes those for the away slot, and the AwayLog settles them on the outcome.
 */
function world(t0 = 100_000) {
  const clock = new FakeClock(t0);
  const board = new SessionBoard(2);
  const rec = new Recorder(0, { current: { t0 } });
  const index = new SubscriptionIndex([
    { client: 0, slot: 0, filter: 't/x', qos: 1 },
    { client: 1, slot: 1, filter: 't/#', qos: 2 },
  ]);
  const log = new AwayLog(board, rec);
  index.away = log;
  const receivable = new Uint8Array([AS_PLANNED, AS_PLANNED]);
  const publish = (n: number, qos: QoS, dueMs: number, measured = true) => {
    for (let i = 0; i < n; i++) {
      const [e0, e1, e2] = index.expectedFor('t/x', qos, receivable);
      log.settle(dueMs, measured);
      rec.sentMessage(measured, false, false, e0, e1, e2);
      if (measured) rec.intendedSecond(dueMs, e0 + e1 + e2, 0);
    }
  };
  const snap = () => rec.snapshot(clock, 'measure', 0, SELF);
  return { clock, board, rec, log, publish, snap, t0 };
}

describe('AwayLog: deliveries counted for an away session', () => {
  it('session ended (session present = 0): they move out of expected into notEntitled, per QoS and per intended second', () => {
    const w = world();
    w.board.leave(1, 1, Infinity);
    w.publish(3, 1, w.t0 + 200); // second 0
    w.publish(2, 2, w.t0 + 1200); // second 1 (delivered at QoS 2 to slot 1, at QoS 1 to slot 0)
    w.log.resolve(w.clock.now(), false); // still away: nothing moves yet
    w.board.back(1, 1, false);
    w.log.resolve(w.clock.now(), false);
    const s = w.snap();
    expect(s.measured.expected).toBe(10 - 5);
    expect([s.measured.notEntitled, s.measured.q1NotEntitled, s.measured.q2NotEntitled]).toEqual([5, 3, 2]);
    expect([s.measured.q1Expected, s.measured.q2Expected]).toEqual([3 + 2, 0]);
    expect(s.all.expected).toBe(10); // the per-second series of what was sent is left alone
    expect(s.all.notEntitled).toBe(5);
    const bySecond = new Map<number, number>();
    for (const [sec, e] of s.byIntendedSecond) bySecond.set(sec, (bySecond.get(sec) ?? 0) + e);
    expect([bySecond.get(0), bySecond.get(1)]).toEqual([3, 2]); // what the present subscriber was owed
    expect(w.log.settledMeasured).toBe(5);
  });

  it('session kept (session present = 1): QoS 1/2 stay expected (the broker queued them); QoS 0 ones are never owed', () => {
    const w = world();
    w.board.leave(1, 1, Infinity);
    w.publish(4, 1, w.t0 + 100);
    w.publish(3, 0, w.t0 + 100);
    w.board.back(1, 1, true);
    w.log.resolve(w.clock.now(), false);
    const s = w.snap();
    expect([s.measured.expected, s.measured.q1Expected, s.measured.q0Expected]).toEqual([14 - 3, 8, 3]);
    expect([s.measured.notEntitled, s.measured.q0NotEntitled, s.measured.awayAtEnd]).toEqual([3, 3, 0]);
  });

  it('still away at the end: queued (awayAtEnd) while the session lasts, not entitled once it expired; warm-up ones only in `all`', () => {
    const w = world();
    w.board.leave(0, 1, w.t0 + 10_000); // the QoS 1 subscriber, with an MQTT 5 session of 10 s
    w.board.leave(1, 1, Infinity);
    w.publish(2, 1, w.t0 - 500, false); // warm-up
    w.publish(5, 1, w.t0 + 300);
    w.log.resolve(w.t0 + 5_000, true);
    let s = w.snap();
    expect([s.measured.expected, s.measured.awayAtEnd, s.measured.q1AwayAtEnd, s.measured.notEntitled]).toEqual([0, 10, 10, 0]);
    expect(s.all.awayAtEnd).toBe(14);

    const x = world();
    x.board.leave(0, 1, x.t0 + 10_000);
    x.publish(5, 1, x.t0 + 300);
    x.log.resolve(x.t0 + 10_000, true); // expired by the end
    s = x.snap();
    expect([s.measured.expected, s.measured.notEntitled, s.measured.awayAtEnd]).toEqual([5, 5, 0]);
  });

  it('nothing is noted while every session is present', () => {
    const w = world();
    w.publish(5, 1, w.t0 + 100);
    w.log.resolve(w.clock.now(), true);
    const s = w.snap();
    expect([s.measured.expected, s.measured.notEntitled, s.measured.awayAtEnd]).toEqual([10, 0, 0]);
  });
});
