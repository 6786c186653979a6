/**
 * Counters over a window of the run's seconds. Pure.
 *
 * Costs need the CPU and the messages of the *same* span, though different sources read them at different
 * moments (procfs every second, $SYS every 2 s): each counter is interpolated linearly at the window's exact
 * start and end. The cross-check of counts instead uses whole readings (exact integers) just outside the window.
 */
import { counterDelta } from './derive.js';
import type { CounterName, TimedReading } from './types.js';

/**
 * The first epoch ms of interval t. `intervalOf` must be a non-decreasing step function of time (the run's
 * seconds); `near` is any point of known t, so the search starts close.
 */
export function startOfInterval(intervalOf: (ms: number) => number, t: number, near: { atMs: number; t: number }): number {
  let lo = near.atMs + (t - near.t - 1) * 1000;
  let hi = near.atMs + (t - near.t + 1) * 1000;
  for (let guard = 0; intervalOf(lo) >= t; guard++)
    if (guard > 1e5) return NaN;
    else lo -= 1000;
  for (let guard = 0; intervalOf(hi) < t; guard++)
    if (guard > 1e5) return NaN;
    else hi += 1000;
  // intervalOf(lo) < t <= intervalOf(hi)
  while (hi - lo > 0.001) {
    const mid = (lo + hi) / 2;
    if (intervalOf(mid) >= t) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The readings bearing `counter`, in time order. */
const bearing = (readings: TimedReading[], counter: CounterName) => readings.filter((r) => r.counters[counter] !== undefined);

/** A counter's value at `ms`, linearly interpolated between the readings around it; null outside them. */
export function counterAt(readings: TimedReading[], counter: CounterName, ms: number): number | null {
  const rs = bearing(readings, counter);
  for (let i = 0; i < rs.length; i++) {
    const b = rs[i];
    if (b.atMs < ms) continue;
    if (b.atMs === ms) return b.counters[counter]!;
    if (i === 0) return null;
    const a = rs[i - 1];
    const x = a.counters[counter]!;
    return x + ((b.counters[counter]! - x) * (ms - a.atMs)) / (b.atMs - a.atMs);
  }
  return null;
}

export interface Increase {
  delta: number;
  /** The part of the window the readings cover, in seconds. */
  spanSec: number;
}

/**
 * A counter's increase over [fromMs, toMs], as far as its readings cover that span (interpolated at both
 * ends). Null when they cover none of it, or when the counter went down inside it (a broker restart).
 */
export function increaseOver(readings: TimedReading[], counter: CounterName, fromMs: number, toMs: number): Increase | null {
  const rs = bearing(readings, counter);
  if (rs.length < 2) return null;
  const a = Math.max(fromMs, rs[0].atMs);
  const b = Math.min(toMs, rs[rs.length - 1].atMs);
  if (b <= a) return null;
  for (let i = 1; i < rs.length; i++) {
    if (rs[i].atMs > a && rs[i - 1].atMs < b && counterDelta(rs[i - 1], rs[i], counter) === null) return null;
  }
  const x = counterAt(rs, counter, a);
  const y = counterAt(rs, counter, b);
  return x === null || y === null ? null : { delta: y - x, spanSec: (b - a) / 1000 };
}

/**
 * The two readings that bound a window of interval seconds [fromT, toT] for a counter: the last one
 * before the window (else the first inside it) and the first one after it (else the last inside it).
 */
export function windowEdges(readings: TimedReading[], fromT: number, toT: number, counter: CounterName): [TimedReading, TimedReading] | null {
  const has = bearing(readings, counter);
  const before = has.filter((r) => r.t < fromT);
  const inside = has.filter((r) => r.t >= fromT && r.t <= toT);
  const after = has.filter((r) => r.t > toT);
  const start = before[before.length - 1] ?? inside[0];
  const end = after[0] ?? inside[inside.length - 1];
  return start && end && end !== start ? [start, end] : null;
}
