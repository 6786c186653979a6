import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregate.js';
import { zeroCounters } from './counters.js';
import { createHistogram, encodeHistogram, recordMs } from './histogram.js';
import type { Counters } from './counterFields.js';
import { HISTOGRAM_KEYS } from './histogramKeys.js';
import type { Phase, Snapshot } from './snapshot.js';

function snap(workerIndex: number, at: number, phase: Phase, counts: Partial<Counters>, e2eMs: number[] = []): Snapshot {
  const h = createHistogram();
  for (const v of e2eMs) recordMs(h, v);
  const empty = encodeHistogram(createHistogram());
  const hs = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, k === 'endToEnd' ? encodeHistogram(h) : empty])) as Snapshot['measuredHistograms'];
  const c = { ...zeroCounters(), ...counts };
  return {
    workerIndex,
    at,
    phase,
    all: c,
    measured: c,
    intervalHistograms: hs,
    measuredHistograms: hs,
    connectErrors: {},
    eventLoopDelayMaxMs: 1,
    eventLoopDelayP99Ms: 1,
    busyMs: 100,
    intervalMs: 1000,
    openConnections: 10,
    byIntendedSecond: [],
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

  it('puts the snapshots of one tick from all workers into one per-second row, aligned on publishing', () => {
    const agg = new Aggregator(10_000);
    agg.add(snap(0, 10_150, 'connect', { connSucceeded: 10 }));
    agg.realign(10_200);
    agg.add(snap(0, 11_200, 'measure', { sent: 5 }, [2]));
    agg.add(snap(1, 11_204, 'measure', { sent: 7 }, [4]));
    agg.add(snap(0, 12_201, 'measure', { sent: 6 }));
    agg.add(snap(1, 12_199, 'measure', { sent: 6 }));
    agg.add(snap(0, 12_600, 'close', { sent: 1 }));
    const rows = agg.intervals();
    expect(rows.map((r) => r.sent)).toEqual([0, 12, 12, 1]);
    expect(rows.map((r) => r.t)).toEqual([0, 1, 2, 3]);
    expect(rows.map((r) => r.phase)).toEqual(['connect', 'measure', 'measure', 'close']);
    expect(rows[1].connections).toBe(20);
    expect(rows[1].endToEndP99).toBeCloseTo(4, 1);
    expect(rows[2].endToEndP99).toBeNull();
  });

  it('reports loss by the second messages were intended for, exactly, once all snapshots are in', () => {
    const agg = new Aggregator(0);
    const withSeconds = (w: number, at: number, cells: [number, number, number][]) => ({ ...snap(w, at, 'measure', {}), byIntendedSecond: cells });
    agg.add(withSeconds(0, 1000, [[0, 100, 0]])); // publisher: 100 expected in second 0
    agg.add(withSeconds(1, 1000, [[0, 0, 60]])); // subscriber: 60 of them arrived in that interval
    agg.add(
      withSeconds(1, 2000, [
        [0, 0, 38],
        [1, 0, 50],
      ]),
    ); // 38 more late ones, 50 of second 1
    agg.add(withSeconds(0, 2000, [[1, 50, 0]]));
    const rows = agg.intervals();
    expect(rows.map((r) => [r.t, r.lost, r.lostSoFar])).toEqual([
      [1, 2, 2],
      [2, 0, 2],
    ]);
  });
});

describe('Aggregator open connections', () => {
  it("carries a worker's last level into seconds where its snapshot landed next door", () => {
    const agg = new Aggregator(0);
    const at = (w: number, ms: number, open: number) => ({ ...snap(w, ms, 'measure', {}), openConnections: open });
    agg.add(at(0, 1000, 150));
    agg.add(at(1, 1000, 150));
    agg.add(at(0, 2000, 150));
    agg.add(at(1, 2760, 150)); // worker 1's final snapshot falls into the next second
    expect(agg.intervals().map((r) => r.connections)).toEqual([300, 300, 300]);
  });
});
