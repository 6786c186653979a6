import { describe, expect, it } from 'vitest';
import { GIVE_UP_MS, NOT_STARTED, TimelineCell, timelineOf } from './timeline.js';

describe('timelineOf', () => {
  it.each([
    // warmup, duration, drain, t0 → measureFrom, measureEnd, giveUpAt, segmentStopAt
    [0, 1000, 0, 0, 0, 1000, 2000, 2000],
    [500, 2000, 3000, 10_000, 10_500, 12_500, 13_500, 16_500],
    [2000, 0, 1000, 1_700_000_000_000, 1_700_000_002_000, 1_700_000_002_000, 1_700_000_003_000, 1_700_000_004_000],
  ])('warmup %i, duration %i, drain %i from t0 %i', (warmupMs, durationMs, drainMs, t0, from, end, giveUp, stop) => {
    const t = timelineOf({ warmupMs, durationMs, drainMs }, t0);
    expect([t.t0, t.measureFrom, t.measureEnd, t.giveUpAt, t.segmentStopAt]).toEqual([t0, from, end, giveUp, stop]);
    expect(t.giveUpAt - t.measureEnd).toBe(GIVE_UP_MS);
  });

  it.each([
    [-1, 'connect'],
    [9_999.9, 'connect'],
    [10_000, 'warmup'],
    [10_499, 'warmup'],
    [10_500, 'measure'],
    [12_499.9, 'measure'],
    [12_500, 'drain'],
    [99_999, 'drain'],
  ])('phaseAt(%d) is %s (t0 10 s, warm-up 0.5 s, duration 2 s)', (at, phase) => {
    expect(timelineOf({ warmupMs: 500, durationMs: 2000, drainMs: 3000 }, 10_000).phaseAt(at)).toBe(phase);
  });

  it('no warm-up: measuring starts at t0', () => {
    const t = timelineOf({ warmupMs: 0, durationMs: 1000, drainMs: 0 }, 5);
    expect(t.phaseAt(4.9)).toBe('connect');
    expect(t.phaseAt(5)).toBe('measure');
  });

  it('before publishing starts every boundary is Infinity and every instant is connect', () => {
    expect([NOT_STARTED.measureFrom, NOT_STARTED.measureEnd, NOT_STARTED.giveUpAt, NOT_STARTED.segmentStopAt]).toEqual([
      Infinity,
      Infinity,
      Infinity,
      Infinity,
    ]);
    expect(NOT_STARTED.phaseAt(Date.now())).toBe('connect');
    expect(NOT_STARTED.phaseAt(Number.MAX_SAFE_INTEGER)).toBe('connect');
  });
});

describe('TimelineCell', () => {
  it("reads NOT_STARTED until started, then the run's timeline; a second start is a bug", () => {
    const cell = new TimelineCell();
    expect(cell.current).toBe(NOT_STARTED);
    const t = timelineOf({ warmupMs: 0, durationMs: 1000, drainMs: 0 }, 42);
    cell.start(t);
    expect(cell.current).toBe(t);
    expect(() => cell.start(timelineOf({ warmupMs: 0, durationMs: 1000, drainMs: 0 }, 43))).toThrow(/started twice/);
    expect(cell.current.t0).toBe(42);
  });
});
