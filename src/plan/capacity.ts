/**
 * The capacity search, as pure logic: step the load up geometrically until the SLO breaks (or the
 * ceiling is reached), then bisect between the last passing and the first failing load. A step
 * where the generator itself saturated ends the search: its figures describe mqbench, not the broker.
 */
export interface CapacityStep {
  /** Total publish rate (msg/s) or connection count, depending on what is searched. */
  load: number;
  ok: boolean;
  saturated: boolean;
  /** The SLO expressions that failed, for the report. */
  failed: string[];
}

export interface SearchOptions {
  from: number;
  to: number;
  /** Multiply the load by this while everything passes (default 2). */
  factor?: number;
  /** Stop bisecting when the gap between pass and fail is below this share of the pass load (default 0.1). */
  precision?: number;
  /** Hard cap on the number of runs (default 12). */
  maxSteps?: number;
}

export type NextStep = { done: false; load: number } | { done: true; maxLoad: number | null; reason: string };

/** Given the steps so far, what to run next (or the verdict). */
export function nextStep(steps: readonly CapacityStep[], o: SearchOptions): NextStep {
  const factor = o.factor ?? 2;
  const precision = o.precision ?? 0.1;
  const maxSteps = o.maxSteps ?? 12;
  if (steps.length === 0) return { done: false, load: o.from };
  const last = steps[steps.length - 1];
  const fails = steps.filter((s) => !s.ok && !s.saturated).map((s) => s.load);
  const lowestFail = fails.length ? Math.min(...fails) : null;
  // The best pass is the highest passing load below the lowest failure (noise can make a higher load pass).
  const passes = steps.filter((s) => s.ok && !s.saturated && s.load < (lowestFail ?? Infinity)).map((s) => s.load);
  const best = passes.length ? Math.max(...passes) : null;
  if (last.saturated) {
    return {
      done: true,
      maxLoad: best,
      reason: `the generator saturated at ${fmt(last.load)}: the broker's limit is above what this machine can generate — use more generator processes or machines`,
    };
  }
  if (lowestFail === null) {
    if (last.load >= o.to) return { done: true, maxLoad: best, reason: `the SLO held up to the ceiling ${fmt(o.to)}` };
    if (steps.length >= maxSteps) return { done: true, maxLoad: best, reason: `stopped after ${maxSteps} steps` };
    return { done: false, load: Math.min(o.to, last.load * factor) };
  }
  if (best === null) return { done: true, maxLoad: null, reason: `the SLO already failed at ${fmt(lowestFail)}` };
  if ((lowestFail - best) / best <= precision || steps.length >= maxSteps) {
    return { done: true, maxLoad: best, reason: `the SLO breaks between ${fmt(best)} and ${fmt(lowestFail)}` };
  }
  return { done: false, load: Math.round((best + lowestFail) / 2) };
}

/**
 * The knee: the highest passing load before latency turned sharply upward — the first step whose
 * p99 is more than `rise` times the p99 of the lowest load; the step before it is the knee.
 */
export function knee(points: { load: number; p99: number }[], rise = 2): number | undefined {
  const sorted = [...points].sort((a, b) => a.load - b.load);
  if (sorted.length < 2) return undefined;
  const base = Math.max(sorted[0].p99, 1e-6);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].p99 > rise * base) return sorted[i - 1].load;
  return undefined;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
