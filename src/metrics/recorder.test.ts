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
