/**
 * `compare --fail-on`: regression gates on the relative change from a baseline side to a current side, e.g.
 * "endToEnd.p99 > +10%" (fails when the p99 grew by more than 10 %) or "throughput.receivedPerSec < -5%".
 * With at least two runs on each side a gate fails only when the change is also significant (its bootstrap
 * interval excludes 0): noise alone never fails a build. A run that failed, was partial, or has no data for
 * the metric cannot pass a gate.
 */
import type { Results } from '../metrics/types.js';
import { measure } from '../thresholds/measure.js';
import { findMetric, METRIC_PATHS, type MetricName } from '../thresholds/metrics.js';
import { didYouMean } from '../shared/didyoumean.js';
import { fmtChange } from './compareModel.js';
import { DEFAULT_DECISION, difference, type DecisionOptions, type Difference } from './stats.js';

export interface FailOnCheck {
  expression: string;
  metric: MetricName;
  /** '>': fails when the change is above `limit`; '<': when below. */
  op: '>' | '<';
  /** Relative change, e.g. 0.10 for +10 %. */
  limit: number;
}

export type ParsedFailOn = { ok: true; checks: FailOnCheck[] } | { ok: false; message: string; hint?: string };

const GATE = /^\s*([A-Za-z0-9_.]+)\s*([<>])\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$/;

/** Parses a comma-separated list of gates. */
export function parseFailOn(text: string): ParsedFailOn {
  const checks: FailOnCheck[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = GATE.exec(part);
    if (!m)
      return {
        ok: false,
        message: `--fail-on: "${part}" is not <metric> > +N% or <metric> < -N%`,
        hint: 'e.g. --fail-on "endToEnd.p99 > +10%, throughput.receivedPerSec < -5%"',
      };
    const metric = findMetric(m[1]);
    if (!metric) {
      const near = didYouMean(m[1], METRIC_PATHS);
      return {
        ok: false,
        message: `--fail-on: unknown metric "${m[1]}"`,
        hint: near ? `did you mean ${near}?` : 'metrics are named as in --threshold, e.g. endToEnd.p99',
      };
    }
    checks.push({ expression: part.replace(/\s+/g, ' '), metric, op: m[2] as '>' | '<', limit: Number(m[3]) / 100 });
  }
  if (checks.length === 0) return { ok: false, message: '--fail-on: no gate given', hint: 'e.g. --fail-on "endToEnd.p99 > +10%"' };
  return { ok: true, checks };
}

export interface FailOnResult {
  expression: string;
  ok: boolean;
  /** What was found: "+23.4 % [+20.1 %, +26.0 %]", or why it could not be judged. */
  detail: string;
  difference?: Difference;
}

function values(runs: readonly Results[], metric: MetricName): { values: number[]; problem?: string } {
  const out: number[] = [];
  for (const r of runs) {
    if (r.status !== 'complete') return { values: [], problem: `a run is ${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}` };
    const v = measure(r.summary, metric.source);
    if (!v.measured) return { values: [], problem: `no data: ${v.noData ?? 'no samples'}` };
    out.push(v.value);
  }
  return { values: out };
}

/** Checks every gate on the change from `baseline` to `current` (each one or more runs). */
export function evaluateFailOn(
  baseline: readonly Results[],
  current: readonly Results[],
  checks: readonly FailOnCheck[],
  opts: DecisionOptions = DEFAULT_DECISION,
): FailOnResult[] {
  return checks.map((c) => {
    const a = values(baseline, c.metric);
    const b = values(current, c.metric);
    const problem = a.problem ? `baseline: ${a.problem}` : b.problem ? `current: ${b.problem}` : undefined;
    if (problem) return { expression: c.expression, ok: false, detail: problem };
    const d = difference(a.values, b.values, opts);
    const beyond = c.op === '>' ? d.change > c.limit : d.change < c.limit;
    const noiseAware = d.interval !== undefined;
    const regressed = beyond && (!noiseAware || d.significant);
    const why = beyond && !regressed ? ' — within noise (interval includes 0)' : '';
    return { expression: c.expression, ok: !regressed, detail: `${fmtChange(d)}${why}`, difference: d };
  });
}
