/**
 * Latency by percentile from an HDR histogram, for plotting against 1/(1−p) on a log axis: 50% sits at 2,
 * 90% at 10, 99% at 100, 99.9% at 1,000 … so every "nine" of the tail gets the same width.
 */
import { decodeHistogram, type Histogram } from '../metrics/histogram.js';

/** The deepest tail plotted: 99.99999% (x = 10^7). */
const MAX_DECADES = 7;

/** Points per decade of 1/(1−p): enough for a smooth curve, few enough to keep the report small. */
export const POINTS_PER_DECADE = 24;

/** The percentile (0–100) at x = 1/(1−p). */
export function percentileAt(x: number): number {
  return 100 * (1 - 1 / x);
}

/** "50%", "90%", "99%", "99.9%", "99.99%" for x = 2, 10, 100, 1000, 10000; "0%" for x = 1. */
export function percentileLabel(x: number): string {
  const decimals = Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2);
  return `${Number(percentileAt(x).toFixed(decimals))}%`;
}

/**
 * x positions shared by every curve of a chart: log-spaced from 1 (p = 0) to the first grid point at or
 * beyond the largest sample count (no percentile past 1 − 1/count says anything new), at least 10², at
 * most 10⁷.
 */
export function percentileGrid(maxCount: number, perDecade = POINTS_PER_DECADE): number[] {
  const decades = Math.min(MAX_DECADES, Math.max(2, Math.log10(Math.max(1, maxCount))));
  const last = Math.ceil(decades * perDecade - 1e-9);
  const grid: number[] = [];
  for (let i = 0; i <= last; i++) grid.push(Number((10 ** (i / perDecade)).toPrecision(6)));
  return grid;
}

/** Axis ticks for a grid: 50% and each further "nine" up to the grid's end. */
export function percentileTicks(grid: readonly number[]): { at: number[]; labels: string[] } {
  const end = grid[grid.length - 1] ?? 1;
  const at = [2];
  for (let x = 10; x <= end * 1.000001; x *= 10) at.push(x);
  return { at, labels: at.map(percentileLabel) };
}

const usToMs = (us: number): number => us / 1000;

/**
 * Latency in ms at each grid point. Past the point where 1/(1−p) reaches the sample count, the one next
 * point carries the maximum and the rest are null (the curve ends there). An empty histogram gives nulls.
 */
export function percentileCurve(h: Histogram, grid: readonly number[]): (number | null)[] {
  const count = h.totalCount;
  let ended = count === 0;
  return grid.map((x) => {
    if (ended) return null;
    if (x >= count) {
      ended = true;
      return usToMs(h.maxValue);
    }
    return usToMs(h.getValueAtPercentile(percentileAt(x)));
  });
}

/** A decoded histogram, or undefined when the text is missing or not a readable HDR histogram. */
export function tryDecode(encoded: unknown): Histogram | undefined {
  if (typeof encoded !== 'string' || encoded === '') return undefined;
  try {
    return decodeHistogram(encoded);
  } catch {
    return undefined;
  }
}
