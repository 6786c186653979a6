import { describe, expect, it } from 'vitest';
import type { TimedReading } from './types.js';
import { counterAt, increaseOver, startOfInterval, windowEdges } from './window.js';

const T0 = 1_700_000_000_123.5;
const intervalOf = (ms: number) => Math.floor((ms - T0) / 1000);
const r = (sec: number, counters: TimedReading['counters']): TimedReading => ({ atMs: T0 + sec * 1000, t: intervalOf(T0 + sec * 1000), gauges: {}, counters });

describe('startOfInterval', () => {
  it.each([
    [0, { atMs: T0 + 5_400, t: 5 }],
    [-3, { atMs: T0 + 5_400, t: 5 }],
    [12, { atMs: T0 - 7_000, t: -7 }],
    // a misplaced hint (its t is off by several seconds) still converges
    [2, { atMs: T0 + 9_000, t: 2 }],
  ])('finds the first ms of t=%i within a microsecond', (t, near) => {
    expect(Math.abs(startOfInterval(intervalOf, t, near) - (T0 + t * 1000))).toBeLessThanOrEqual(0.001);
  });
});

describe('counterAt / increaseOver', () => {
  // 1,000 messages/s from 0 s to 10 s, read every 2 s from -1 s (as $SYS would be).
  const readings = [-1, 1, 3, 5, 7, 9, 11].map((s) => r(s, { messagesReceived: 1000 * Math.min(10, Math.max(0, s)) }));

  it('interpolates linearly between the readings around a moment; null outside them', () => {
    expect(counterAt(readings, 'messagesReceived', T0 + 2_000)).toBe(2000);
    expect(counterAt(readings, 'messagesReceived', T0 + 3_000)).toBe(3000);
    expect(counterAt(readings, 'messagesReceived', T0 - 5_000)).toBeNull();
    expect(counterAt(readings, 'messagesReceived', T0 + 12_000)).toBeNull();
  });

  it('gives the increase over exactly the window when readings cover it', () => {
    expect(increaseOver(readings, 'messagesReceived', T0 + 2_000, T0 + 8_000)).toEqual({ delta: 6000, spanSec: 6 });
  });

  it('keeps to the part of the window the readings cover and says how long that is', () => {
    expect(increaseOver(readings, 'messagesReceived', T0 - 10_000, T0 + 3_000)).toEqual({ delta: 3000, spanSec: 4 });
    expect(increaseOver(readings, 'messagesReceived', T0 + 20_000, T0 + 30_000)).toBeNull();
    expect(increaseOver(readings, 'cpuSeconds', T0, T0 + 5_000)).toBeNull();
  });

  it('refuses a window across a restart (the counter went down)', () => {
    const restarted = [r(0, { cpuSeconds: 50 }), r(1, { cpuSeconds: 51 }), r(2, { cpuSeconds: 0.2 }), r(3, { cpuSeconds: 1 })];
    expect(increaseOver(restarted, 'cpuSeconds', T0, T0 + 3_000)).toBeNull();
    expect(increaseOver(restarted, 'cpuSeconds', T0 + 2_000, T0 + 3_000)).toEqual({ delta: 0.8, spanSec: 1 });
  });
});

describe('windowEdges', () => {
  const readings = [r(-3, { cpuSeconds: 1 }), r(-1, { cpuSeconds: 2 }), r(0, {}), r(4, { cpuSeconds: 6 }), r(9, { cpuSeconds: 9 }), r(11, { cpuSeconds: 10 })];

  it('bounds a window by the last reading before it and the first after it', () => {
    expect(windowEdges(readings, 0, 9, 'cpuSeconds')!.map((x) => x.t)).toEqual([-1, 11]);
  });

  it('falls back to readings inside the window at an edge it cannot cover; null with one reading', () => {
    expect(windowEdges(readings, -5, 20, 'cpuSeconds')!.map((x) => x.t)).toEqual([-3, 11]);
    expect(windowEdges([r(5, { cpuSeconds: 1 })], 0, 9, 'cpuSeconds')).toBeNull();
  });
});
