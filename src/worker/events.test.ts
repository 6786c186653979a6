import { describe, expect, it } from 'vitest';
import { splitRange } from '../plan/split.js';
import { picked } from './events.js';

describe('picked (which clients an event takes)', () => {
  it.each([
    [40, 0.5, 20],
    [10, 0.3, 3],
    [1000, 0.07, 70],
    [3, 1, 3],
    [7, 0.1, 0],
  ])('%i clients × %d → %i picked, spread over every worker', (count, fraction, want) => {
    const all = [...Array(count).keys()].filter((i) => picked(i, fraction));
    expect(all).toHaveLength(want);
    if (want >= 4) {
      // Spread evenly: each of 2 workers' contiguous slices gets about half.
      const perWorker = splitRange(count, 2).map((r) => all.filter((i) => i >= r.first && i < r.first + r.count).length);
      expect(Math.abs(perWorker[0] - perWorker[1])).toBeLessThanOrEqual(1);
    }
  });
});
