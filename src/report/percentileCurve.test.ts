import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMs } from '../metrics/histogram.js';
import { capacityOf } from './capacityPoints.js';
import { makeResults } from './fixture.test-helper.js';
import { sloP99, timeCharts } from './htmlData.js';
import { percentileCurve, percentileGrid, percentileLabel, percentileTicks, tryDecode } from './percentileCurve.js';

/** 1,000 samples: 1 ms, 2 ms, … 1,000 ms. */
function uniform(): ReturnType<typeof createHistogram> {
  const h = createHistogram();
  for (let ms = 1; ms <= 1000; ms++) recordMs(h, ms);
  return h;
}

describe('percentile curve', () => {
  it('labels x = 1/(1−p) as percentiles', () => {
    expect([1, 2, 10, 100, 1000, 10_000, 1e5].map(percentileLabel)).toEqual(['0%', '50%', '90%', '99%', '99.9%', '99.99%', '99.999%']);
  });

  it('spaces the grid evenly in log(1/(1−p)) up to the power of ten above the sample count', () => {
    const grid = percentileGrid(60_000, 24);
    expect(grid[0]).toBe(1);
    expect(grid[24]).toBeCloseTo(10, 6);
    expect(grid.at(-2)).toBeLessThan(60_000);
    expect(grid.at(-1)).toBeGreaterThanOrEqual(60_000);
    expect(grid).toHaveLength(Math.ceil(Math.log10(60_000) * 24) + 1);
    expect(percentileGrid(10_000, 24).at(-1)).toBe(10_000);
    expect(percentileGrid(3)).toHaveLength(2 * 24 + 1);
    expect(percentileGrid(1e12).at(-1)).toBe(1e7);
    expect(percentileTicks(grid)).toEqual({ at: [2, 10, 100, 1000, 10_000], labels: ['50%', '90%', '99%', '99.9%', '99.99%'] });
  });

  it('reads latency at each percentile from the histogram, ending at the maximum', () => {
    const curve = percentileCurve(uniform(), [1, 2, 10, 100, 999, 1000, 5000, 10_000]);
    expect(curve[0]).toBeCloseTo(1, 2);
    expect(curve[1]).toBeCloseTo(500, -1);
    expect(curve[2]).toBeCloseTo(900, -1);
    expect(curve[3]).toBeCloseTo(990, -1);
    expect(curve[4]).toBeCloseTo(999, -1);
    expect(curve[5]).toBeCloseTo(1000, -1);
    expect(curve.slice(6)).toEqual([null, null]);
    const defined = curve.filter((v): v is number => v !== null);
    expect(defined).toEqual([...defined].sort((a, b) => a - b));
  });

  it('survives a round trip through the results encoding, and empty or unreadable histograms', () => {
    const back = tryDecode(encodeHistogram(uniform()));
    expect(back?.totalCount).toBe(1000);
    expect(percentileCurve(back!, [2])[0]).toBeCloseTo(500, -1);
    expect(percentileCurve(createHistogram(), [1, 2])).toEqual([null, null]);
    expect(tryDecode('HISTFAAAA')).toBeUndefined();
    expect(tryDecode(undefined)).toBeUndefined();
  });
});

describe('report data helpers', () => {
  it('aligns per-second series of runs on the union of their seconds', () => {
    const a = makeResults();
    const b = makeResults();
    b.intervals = [{ ...b.intervals[1], t: 2, sent: 7 }];
    const run = (label: string, results: typeof a, color: string) => ({ item: { label, results }, name: label, color, width: 2 });
    const [throughput] = timeCharts('chart-0-', [run('a', a, '#000'), run('b', b, '#111')]);
    expect(throughput.id).toBe('chart-0-throughput');
    expect(throughput.x).toEqual([-1, 1, 2]);
    expect(throughput.series.map((s) => s.label)).toEqual(['a sent', 'a received', 'b sent', 'b received']);
    expect(throughput.series[0].values).toEqual([0, 2000, null]);
    expect(throughput.series[2].values).toEqual([null, null, 7]);
  });

  it('finds the p99 SLO limit in milliseconds', () => {
    expect(sloP99(['messages.lost == 0', 'endToEnd.p99 < 0.05s'])).toBe(50);
    expect(sloP99(['endToEnd.p50 < 5ms'])).toBeUndefined();
  });

  it('reads a capacity field defensively', () => {
    const r = makeResults();
    expect(capacityOf(r)).toBeUndefined();
    const cap = { slo: ['endToEnd.p99 < 50ms', 3], steps: [{ rate: 100, p99: 2, lost: 0, ok: true }, { rate: 'x' }], maxRate: 100 };
    expect(capacityOf({ ...r, capacity: cap } as typeof r)).toEqual({
      slo: ['endToEnd.p99 < 50ms'],
      steps: [{ rate: 100, p99: 2, lost: 0, ok: true }],
      maxRate: 100,
    });
  });
});
