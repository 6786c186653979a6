import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregate.js';
import { zeroCounters } from './counters.js';
import { createHistogram, encodeHistogram, recordMs } from './histogram.js';
import { HISTOGRAM_KEYS, type Counters, type Phase, type Snapshot } from './types.js';

function snap(workerIndex: number, at: number, phase: Phase, counts: Partial<Counters>, e2eMs: number[] = []): Snapshot {
  const h = createHistogram();
  for (const v of e2eMs) recordMs(h, v);
  const empty = encodeHistogram(createHistogram());
  const hs = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, k === 'endToEnd' ? encodeHistogram(h) : empty])) as Snapshot['measuredHistograms'];
  const c = { ...zeroCounters(), ...counts };
  return {
    workerIndex, at, phase, all: c, measured: c, intervalHistograms: hs, measuredHistograms: hs, connectErrors: {},
    eventLoopDelayMaxMs: 1, eventLoopDelayP99Ms: 1, busyMs: 100, intervalMs: 1000, openConnections: 10,
  };
}

describe('Aggregator', () => {
  it('adds counters and histograms from every worker into the totals', () => {
    const agg = new Aggregator(0);
    agg.add(snap(0, 1000, 'measure', { sent: 100, expected: 100 }, [1, 1, 1]));
    agg.add(snap(1, 1001, 'measure', { received: 100 }, [9]));
    expect(agg.measured.sent).toBe(100);
    expect(agg.measured.received).toBe(100);
    expect(agg.histograms.endToEnd.totalCount).toBe(4);
  });

  it('puts the snapshots of one tick from all workers into one per-second row', () => {
    const agg = new Aggregator(10_000);
    agg.add(snap(0, 10_150, 'connect', { connSucceeded: 10 }));
    agg.add(snap(0, 11_000, 'measure', { sent: 5 }, [2]));
    agg.add(snap(1, 11_004, 'measure', { sent: 7 }, [4]));
    agg.add(snap(0, 12_001, 'measure', { sent: 6 }));
    agg.add(snap(1, 11_999, 'measure', { sent: 6 }));
    agg.add(snap(0, 12_400, 'close', { sent: 1 }));
    const rows = agg.intervals(10_200);
    expect(rows.map((r) => r.sent)).toEqual([0, 12, 12, 1]);
    expect(rows.map((r) => r.t)).toEqual([-0.2, 0.8, 1.8, 2.8]);
    expect(rows[1].connections).toBe(20);
    expect(rows[1].endToEndP99).toBeCloseTo(4, 1);
    expect(rows[2].endToEndP99).toBeNull();
  });
});
