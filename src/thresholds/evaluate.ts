/**
 * Thresholds checked against a run's results. A latency without samples, or a count with no data behind it
 * (messages.lost when nothing was expected), fails: it proves nothing.
 */
import type { Results, ThresholdResult } from '../metrics/resultsFile.js';
import { measure } from './measure.js';
import { findMetric } from './metrics.js';
import type { Threshold, ThresholdOp } from './parse.js';

const COMPARE: Record<ThresholdOp, (actual: number, limit: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** Checks one threshold against a results file. */
export function evaluateThreshold(threshold: Threshold, results: Results): ThresholdResult {
  const metric = findMetric(threshold.metric);
  if (!metric) throw new Error(`unknown metric ${threshold.metric}`);
  const { value, measured, noData } = measure(results.summary, metric.source);
  if (!measured) return { expression: threshold.expression, actual: value, ok: false, note: noData ? `no data: ${noData}` : 'no samples' };
  return { expression: threshold.expression, actual: value, ok: COMPARE[threshold.op](value, threshold.value) };
}

/** Checks every threshold against `results`, in order. */
export function checkThresholds(results: Results, list: readonly Threshold[]): ThresholdResult[] {
  return list.map((t) => evaluateThreshold(t, results));
}

/** The thresholds of several lists (the scenario's, then --threshold's), each expression once, in order. */
export function combineThresholds(...lists: readonly (readonly Threshold[])[]): Threshold[] {
  const seen = new Set<string>();
  return lists.flat().filter((t) => !seen.has(t.expression) && (seen.add(t.expression), true));
}
