import { describe, expect, it } from 'vitest';
import { changeInterval, difference, isReal, median, medianInterval, relativeChange, seededRandom, DEFAULT_DECISION } from './stats.js';

/** n values around `center` with a relative spread of ±`spread`, from a seeded generator. */
function sample(center: number, spread: number, n: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => center * (1 + spread * (2 * rnd() - 1)));
}

describe('stats', () => {
  it('median of odd and even sets', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('is deterministic: same seed, same interval', () => {
    const xs = sample(100, 0.1, 7, 3);
    expect(medianInterval(xs)).toEqual(medianInterval(xs));
    expect(changeInterval(xs, sample(110, 0.1, 7, 4))).toEqual(changeInterval(xs, sample(110, 0.1, 7, 4)));
    const [lo, hi] = medianInterval(xs);
    expect(lo).toBeLessThanOrEqual(median(xs));
    expect(hi).toBeGreaterThanOrEqual(median(xs));
  });

  it('relative change, also from and to zero', () => {
    expect(relativeChange(100, 120)).toBeCloseTo(0.2);
    expect(relativeChange(0, 0)).toBe(0);
    expect(relativeChange(0, 3)).toBe(Infinity);
    expect(relativeChange(0, -3)).toBe(-Infinity);
  });

  // Table: synthetic sides with a known shift and spread; whether the rule calls it a real difference.
  const cases: { name: string; a: number[]; b: number[]; real: boolean; significant?: boolean }[] = [
    { name: '20 % shift, tight spread (±1 %), 3 runs each', a: sample(100, 0.01, 3, 1), b: sample(120, 0.01, 3, 2), real: true },
    { name: '20 % shift, tight spread (±2 %), 5 runs each', a: sample(10, 0.02, 5, 3), b: sample(12, 0.02, 5, 4), real: true },
    { name: '20 % shift down, tight spread, 5 runs each', a: sample(50, 0.02, 5, 5), b: sample(40, 0.02, 5, 6), real: true },
    { name: '2 % shift within ±10 % noise, 5 runs each', a: sample(100, 0.1, 5, 7), b: sample(102, 0.1, 5, 8), real: false, significant: false },
    { name: '2 % shift within ±5 % noise, 3 runs each', a: sample(100, 0.05, 3, 9), b: sample(102, 0.05, 3, 10), real: false, significant: false },
    { name: 'identical runs', a: [5, 5, 5], b: [5, 5, 5], real: false, significant: false },
    { name: '3 % shift, no noise: significant but below the practical 5 %', a: [100, 100, 100], b: [103, 103, 103], real: false, significant: true },
    { name: '20 % shift with one run per side: no verdict', a: [100], b: [120], real: false, significant: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = difference(c.a, c.b, DEFAULT_DECISION);
      expect(isReal(d)).toBe(c.real);
      if (c.significant !== undefined) expect(d.significant).toBe(c.significant);
      if (c.a.length > 1 && c.b.length > 1) {
        expect(d.interval).toBeDefined();
        expect(d.interval![0]).toBeLessThanOrEqual(d.change);
        expect(d.interval![1]).toBeGreaterThanOrEqual(d.change);
      } else {
        expect(d.interval).toBeUndefined();
      }
    });
  }

  it('points scale: a difference of shares in points, judged against the practical threshold in points', () => {
    const d = difference([0.01, 0.012, 0.011], [0.036, 0.035, 0.037], DEFAULT_DECISION, 'points');
    expect(d.change).toBeCloseTo(0.025);
    expect(d.significant).toBe(true);
    expect(isReal(d)).toBe(false); // 2.5 points off the plan is under 5 points
    expect(isReal(difference([0.0, 0.01, 0.0], [0.2, 0.21, 0.19], DEFAULT_DECISION, 'points'))).toBe(true);
  });
});
