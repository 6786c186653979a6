/**
 * Statistics for comparing repeated runs, pure and seeded (same input, same output): medians, bootstrap
 * percentile intervals of a median and of the relative difference of two medians, and the decision rule
 * `compare` uses. Nothing here reads a results file.
 */

/** A small, fast, seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The q-quantile (0..1) of sorted values, by linear interpolation. */
function quantileSorted(s: readonly number[], q: number): number {
  if (s.length === 1) return s[0];
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi || s[lo] === s[hi]) return s[lo];
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export interface BootstrapOptions {
  /** Confidence level of the interval, e.g. 0.95. */
  level: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { level: 0.95, resamples: 2000, seed: 1 };

function resampleMedian(xs: readonly number[], rnd: () => number, buf: number[]): number {
  for (let i = 0; i < xs.length; i++) buf[i] = xs[Math.floor(rnd() * xs.length)];
  return median(buf);
}

function interval(stats: number[], level: number): [number, number] {
  stats.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return [quantileSorted(stats, tail), quantileSorted(stats, 1 - tail)];
}

/** Bootstrap percentile interval of the median of `xs`. */
export function medianInterval(xs: readonly number[], opts: BootstrapOptions = DEFAULT_BOOTSTRAP): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  const rnd = seededRandom(opts.seed);
  const buf = new Array<number>(xs.length);
  const stats: number[] = [];
  for (let i = 0; i < opts.resamples; i++) stats.push(resampleMedian(xs, rnd, buf));
  return interval(stats, opts.level);
}

/**
 * Relative change from a to b: (b − a) / |a|. When a is 0, a change to a non-zero b is ±Infinity (from nothing
 * to something), and 0 to 0 is no change.
 */
export function relativeChange(a: number, b: number): number {
  if (a === b) return 0;
  if (a === 0) return b > a ? Infinity : -Infinity;
  return (b - a) / Math.abs(a);
}

/** How a change is measured: relative to a's median, or in points (b − a, e.g. for shares of a plan). */
export type Scale = 'relative' | 'points';
const CHANGE: Record<Scale, (a: number, b: number) => number> = { relative: relativeChange, points: (a, b) => b - a };

/** Bootstrap percentile interval of the change of the medians, each side resampled on its own. */
export function changeInterval(
  a: readonly number[],
  b: readonly number[],
  opts: BootstrapOptions = DEFAULT_BOOTSTRAP,
  scale: Scale = 'relative',
): [number, number] {
  const change = CHANGE[scale];
  const rnd = seededRandom(opts.seed);
  const ba = new Array<number>(a.length);
  const bb = new Array<number>(b.length);
  const stats: number[] = [];
  for (let i = 0; i < opts.resamples; i++) stats.push(change(resampleMedian(a, rnd, ba), resampleMedian(b, rnd, bb)));
  return interval(stats, opts.level);
}

/** How two sides' figures compare. */
export interface Difference {
  scale: Scale;
  /** Change of the medians from a to b (relative, or in points). */
  change: number;
  /** Its bootstrap interval; absent with a single run on either side. */
  interval?: [number, number];
  /** The interval excludes 0 (at the chosen level). */
  significant: boolean;
  /** |change| reaches the practical threshold (relative, or in points). */
  practical: boolean;
}

export interface DecisionOptions extends BootstrapOptions {
  /** Smallest relative change worth a verdict, e.g. 0.05. */
  practical: number;
}

export const DEFAULT_DECISION: DecisionOptions = { ...DEFAULT_BOOTSTRAP, practical: 0.05 };

/**
 * The difference from side a to side b. Significant only with at least two runs on each side and an interval
 * that excludes no change; a single run per side is never significant (there is no measure of noise).
 */
export function difference(a: readonly number[], b: readonly number[], opts: DecisionOptions = DEFAULT_DECISION, scale: Scale = 'relative'): Difference {
  const change = CHANGE[scale](median(a), median(b));
  const practical = Math.abs(change) >= opts.practical;
  if (a.length < 2 || b.length < 2) return { scale, change, significant: false, practical };
  const iv = changeInterval(a, b, opts, scale);
  return { scale, change, interval: iv, significant: iv[0] > 0 || iv[1] < 0, practical };
}

/** The decision rule: a real difference is significant AND beyond the practical threshold. */
export function isReal(d: Difference): boolean {
  return d.significant && d.practical;
}

/** How the statistics were worked out, for the output. */
export function methodNote(opts: DecisionOptions): string {
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  return (
    `median over the runs of each side; [interval]: ${pct(opts.level)} bootstrap percentile interval of the median ` +
    `(${opts.resamples.toLocaleString('en-US')} resamples, seed ${opts.seed}). A side is better only when the bootstrap interval ` +
    `of the relative change excludes 0 at ${pct(opts.level)} and the change is at least ${pct(opts.practical)}; ` +
    'otherwise "no significant difference". With one run on a side a larger change is shown without a verdict (one run says nothing about noise).'
  );
}
