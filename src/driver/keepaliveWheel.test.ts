import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import { KeepaliveWheel, type KeepaliveTicker } from './keepaliveWheel.js';

function ticker(log: string[], name: string, clock: FakeClock, onTick?: () => void): KeepaliveTicker {
  return { kaSlot: 0, kaIndex: -1, tick: () => (log.push(`${name}@${clock.now() - T0}`), onTick?.()) };
}

const T0 = 1_000_000; // FakeClock's start

/** How many timers the fake clock holds (its private list: the wheel must keep at most one). */
const pending = (clock: FakeClock): number => (clock as unknown as { timers: unknown[] }).timers.length;

describe('KeepaliveWheel: one timer for many connections (fake clock)', () => {
  it('checks each connection once per tick, first one whole tick after it joined; spread by join time; one timer', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    let emptied = 0;
    const w = new KeepaliveWheel(1600, () => emptied++, clock); // 16 slots of 100 ms
    w.add(ticker(log, 'a', clock));
    clock.advance(500);
    w.add(ticker(log, 'b', clock));
    clock.advance(1000);
    expect(log).toEqual([]);
    clock.advance(100);
    expect(log).toEqual(['a@1600']);
    clock.advance(500);
    expect(log).toEqual(['a@1600', 'b@2100']);
    clock.advance(1600);
    expect(log).toEqual(['a@1600', 'b@2100', 'a@3200', 'b@3700']);
    expect(pending(clock)).toBe(1);
    expect(w.size).toBe(2);
    expect(emptied).toBe(0);
  });

  it('10,000 connections on one timer: each is checked exactly once per tick', () => {
    const clock = new FakeClock();
    const counts = new Uint32Array(10_000);
    const w = new KeepaliveWheel(1600, () => undefined, clock);
    for (let k = 0; k < counts.length; k++) {
      w.add({ kaSlot: 0, kaIndex: -1, tick: () => void counts[k]++ });
      if (k % 1000 === 999) clock.advance(37); // joined at different times
    }
    expect(pending(clock)).toBe(1);
    clock.advance(1600 * 5);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...counts)).toBeLessThanOrEqual(5);
    expect(pending(clock)).toBe(1);
  });

  it('keeps its cadence when a turn fires late (due times from the first turn, no catch-up burst)', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const w = new KeepaliveWheel(1600, () => undefined, clock);
    w.add(ticker(log, 'a', clock));
    clock.advance(1700, 30); // every timer fires 30 ms late
    expect(log).toEqual(['a@1630']);
    clock.advance(1600, 30); // re-armed from when each fired, the next check would come at 1630 + 16 × 130
    expect(log).toEqual(['a@1630', 'a@3230']);
  });

  it('removal (also from inside a tick) keeps the others; the timer stops with the last one and restarts with a new one', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    let emptied = 0;
    const w = new KeepaliveWheel(1600, () => emptied++, clock);
    const all: KeepaliveTicker[] = [];
    for (let k = 0; k < 5; k++) all.push(ticker(log, `c${k}`, clock, k === 2 ? () => w.remove(all[2]) : undefined));
    for (const t of all) w.add(t);
    clock.advance(1600);
    expect([...log].sort()).toEqual(['c0@1600', 'c1@1600', 'c2@1600', 'c3@1600', 'c4@1600']);
    log.length = 0;
    clock.advance(1600);
    expect([...log].sort()).toEqual(['c0@3200', 'c1@3200', 'c3@3200', 'c4@3200']);
    w.remove(all[2]); // twice: nothing
    for (const k of [0, 1, 3]) w.remove(all[k]);
    expect(emptied).toBe(0);
    w.remove(all[4]);
    expect(emptied).toBe(1);
    expect(pending(clock)).toBe(0);
    log.length = 0;
    w.add(all[0]);
    expect(pending(clock)).toBe(1);
    clock.advance(1600);
    expect(log).toEqual(['c0@4800']);
  });

  it('a tick that removes every connection stops the timer; one that adds a connection keeps one timer', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    let emptied = 0;
    const w = new KeepaliveWheel(1600, () => emptied++, clock);
    const late = ticker(log, 'late', clock);
    const only: KeepaliveTicker = ticker(log, 'only', clock, () => {
      w.remove(only);
      w.add(late);
    });
    w.add(only);
    clock.advance(1600);
    expect(emptied).toBe(1);
    expect(pending(clock)).toBe(1);
    clock.advance(1600);
    expect(log).toEqual(['only@1600', 'late@3200']);
    w.remove(late);
    expect(pending(clock)).toBe(0);
    clock.advance(10_000);
    expect(log).toEqual(['only@1600', 'late@3200']);
  });
});
