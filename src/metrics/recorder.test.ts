import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import { createHistogram, addEncoded } from './histogram.js';
import { Recorder } from './recorder.js';
import { HISTOGRAM_KEYS } from './types.js';

const self = { eventLoopDelayMaxMs: 0, eventLoopDelayP99Ms: 0, busyMs: 0, intervalMs: 1000 };

describe('Recorder.snapshot histograms', () => {
  it('sends an unused histogram as empty, a used one encoded and then reset', () => {
    const clock = new FakeClock(1_000_000);
    const rec = new Recorder(0, { current: { t0: Infinity } });
    rec.latency('connect', 12.5, true);
    rec.latency('connect', 3, true);
    const first = rec.snapshot(clock, 'connect', 2, self);
    for (const k of HISTOGRAM_KEYS) if (k !== 'connect') expect([k, first.intervalHistograms[k], first.measuredHistograms[k]]).toEqual([k, '', '']);
    for (const encoded of [first.intervalHistograms.connect, first.measuredHistograms.connect]) {
      const h = createHistogram();
      addEncoded(h, encoded);
      expect(h.totalCount).toBe(2);
      expect(h.maxValue).toBeGreaterThanOrEqual(12_490);
    }
    // The interval's counts went with the snapshot: the next one starts empty.
    const second = rec.snapshot(clock, 'connect', 2, self);
    expect(second.intervalHistograms.connect).toBe('');
    expect(second.measuredHistograms.connect).toBe('');
  });
});

describe('Recorder.receivedMessage (the delivery hot path)', () => {
  it('counts what the keyed count() calls did: received, in-window, unique and out of order by class, measured or not', () => {
    const clock = new FakeClock(1_000_000);
    const hot = new Recorder(0, { current: { t0: 0 } });
    const keyed = new Recorder(0, { current: { t0: 0 } });
    const cases: [measured: boolean, inWindow: boolean, unique: boolean, q: 0 | 1 | 2, ooo: boolean][] = [
      [true, true, true, 1, false],
      [true, false, true, 2, true],
      [false, true, true, 0, true],
      [false, false, false, 1, false],
      [true, true, false, 2, false],
      [true, true, true, 0, false],
    ];
    for (const [measured, inWindow, unique, q, ooo] of cases) {
      hot.receivedMessage(measured, inWindow, unique, q, ooo);
      keyed.count('received', measured);
      if (inWindow) keyed.count('receivedInWindow', true);
      if (!unique) continue;
      keyed.count(`q${q}Unique`, measured);
      if (ooo) {
        keyed.count('outOfOrder', measured);
        keyed.count(`q${q}OutOfOrder`, measured);
      }
    }
    const a = hot.snapshot(clock, 'measure', 0, self);
    const b = keyed.snapshot(clock, 'measure', 0, self);
    expect(a.all).toEqual(b.all);
    expect(a.measured).toEqual(b.measured);
    expect([a.all.received, a.measured.received, a.all.receivedInWindow, a.measured.receivedInWindow]).toEqual([6, 4, 4, 4]);
    expect([a.all.q0Unique, a.all.q1Unique, a.all.q2Unique, a.all.outOfOrder, a.measured.outOfOrder]).toEqual([2, 1, 1, 2, 1]);
  });
});
