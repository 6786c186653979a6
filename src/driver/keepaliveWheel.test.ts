import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeepaliveWheel, type KeepaliveTicker } from './keepaliveWheel.js';

function ticker(log: string[], name: string, onTick?: () => void): KeepaliveTicker {
  return { kaSlot: 0, kaIndex: -1, tick: () => (log.push(name), onTick?.()) };
}

describe('KeepaliveWheel: one timer for many connections', () => {
  afterEach(() => void vi.useRealTimers());

  it('checks each connection once per tick, first one whole tick after it joined; spread by join time', () => {
    vi.useFakeTimers();
    const log: string[] = [];
    let emptied = 0;
    const w = new KeepaliveWheel(1600, () => emptied++); // 16 slots of 100 ms
    w.add(ticker(log, 'a'));
    vi.advanceTimersByTime(500);
    w.add(ticker(log, 'b'));
    vi.advanceTimersByTime(1000);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(100); // 1600: a's first check
    expect(log).toEqual(['a']);
    vi.advanceTimersByTime(500); // 2100: b's first check, 1600 after it joined
    expect(log).toEqual(['a', 'b']);
    vi.advanceTimersByTime(1600);
    expect(log).toEqual(['a', 'b', 'a', 'b']);
    expect(vi.getTimerCount()).toBe(1);
    expect(emptied).toBe(0);
  });

  it('removal (also from inside a tick) keeps the others; the timer stops with the last one', () => {
    vi.useFakeTimers();
    const log: string[] = [];
    let emptied = 0;
    const w = new KeepaliveWheel(1600, () => emptied++);
    const all: KeepaliveTicker[] = [];
    for (let k = 0; k < 5; k++) all.push(ticker(log, `c${k}`, k === 2 ? () => w.remove(all[2]) : undefined));
    for (const t of all) w.add(t);
    vi.advanceTimersByTime(1600);
    expect([...log].sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    log.length = 0;
    vi.advanceTimersByTime(1600);
    expect([...log].sort()).toEqual(['c0', 'c1', 'c3', 'c4']);
    w.remove(all[2]); // twice: nothing
    for (const k of [0, 1, 3]) w.remove(all[k]);
    expect(emptied).toBe(0);
    w.remove(all[4]);
    expect(emptied).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
