import { describe, expect, it } from 'vitest';
import { rateShare, splitCount, splitRange } from './split.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('splitCount', () => {
  it.each([
    [1, 4, [1, 0, 0, 0]],
    [10_001, 3, [3334, 3334, 3333]],
    [0, 2, [0, 0]],
    [7, 7, [1, 1, 1, 1, 1, 1, 1]],
    [5, 1, [5]],
    [1_000_000, 6, [166_667, 166_667, 166_667, 166_667, 166_666, 166_666]],
  ])('%i over %i workers -> %j', (total, parts, want) => {
    const got = splitCount(total, parts);
    expect(got).toEqual(want);
    expect(sum(got)).toBe(total);
    expect(Math.max(...got) - Math.min(...got)).toBeLessThanOrEqual(1);
  });

  it('always sums to the total', () => {
    for (let total = 0; total < 300; total += 7) {
      for (let parts = 1; parts < 17; parts++) expect(sum(splitCount(total, parts))).toBe(total);
    }
  });

  it('rejects nonsense', () => {
    expect(() => splitCount(-1, 2)).toThrow(RangeError);
    expect(() => splitCount(3, 0)).toThrow(RangeError);
    expect(() => splitCount(2.5, 2)).toThrow(RangeError);
  });
});

describe('splitRange', () => {
  it('covers every index exactly once, contiguously', () => {
    const ranges = splitRange(10_001, 3);
    expect(ranges).toEqual([
      { first: 0, count: 3334 },
      { first: 3334, count: 3334 },
      { first: 6668, count: 3333 },
    ]);
  });
});

describe('rateShare', () => {
  it.each([
    [2000, 1, 4],
    [500, 10_001, 3],
    [1234.5, 7, 5],
    [10, 3, 3],
  ])('rate %d over %d clients and %d workers sums to the rate', (rate, clients, workers) => {
    const shares = splitRange(clients, workers).map((r) => rateShare(rate, clients, r));
    expect(sum(shares)).toBeCloseTo(rate, 9);
  });

  it('gives all of the rate to the only client', () => {
    expect(splitRange(1, 4).map((r) => rateShare(2000, 1, r))).toEqual([2000, 0, 0, 0]);
  });
});
