/**
 * Pass/fail thresholds on a run's summary: `<metric> <op> <value>`, e.g. "endToEnd.p99 < 50ms",
 * "messages.lost == 0", "throughput.receivedPerSec >= 1000/s". Parsed from tokens by hand and compared as
 * numbers; an expression is never evaluated as code.
 */
import { findMetric, metricHint, type MetricKind } from './thresholdMetrics.js';
import { tokenize, type Token } from './thresholdTokens.js';
import type { Results, ThresholdResult } from './types.js';

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  /** The expression as written (trimmed). */
  expression: string;
  /** The metric path, e.g. "endToEnd.p99". */
  metric: string;
  kind: MetricKind;
  op: ThresholdOp;
  /** In the metric's unit: milliseconds for latency, a plain count, or per second. */
  value: number;
}

export type ParsedThreshold = { ok: true; threshold: Threshold } | { ok: false; message: string; hint?: string };

const COMPARE: Record<ThresholdOp, (actual: number, limit: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** Common slips and what was meant. */
const OP_FIXES: Record<string, string> = { '=': '==', '===': '==', '=<': '<=', '=>': '>=', '<>': '!=', '!==': '!=' };

/** Latency units → factor to milliseconds. */
const LATENCY_UNITS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000 };

const OPS_TEXT = '<, <=, >, >=, == or !=';
const EXAMPLE = 'e.g. "endToEnd.p99 < 50ms" or "messages.lost == 0"';

class Invalid extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

const quote = (t: Token | undefined) => (t ? `"${t.text}"` : 'the end');

function parseMetric(t: Token | undefined): { path: string; kind: MetricKind } {
  if (t?.kind !== 'word') {
    throw new Invalid(`a threshold starts with a metric name, got ${quote(t)}`, EXAMPLE);
  }
  const metric = findMetric(t.text);
  if (!metric) throw new Invalid(`unknown metric "${t.text}"`, metricHint(t.text));
  return metric;
}

function parseOp(t: Token | undefined, metric: string): ThresholdOp {
  if (t?.kind === 'op') {
    if (t.text in COMPARE) return t.text as ThresholdOp;
    const fix = OP_FIXES[t.text];
    throw new Invalid(`"${t.text}" is not a comparison`, fix ? `did you mean "${fix}"?` : `use ${OPS_TEXT}`);
  }
  throw new Invalid(`expected a comparison (${OPS_TEXT}) after "${metric}", got ${quote(t)}`, EXAMPLE);
}

function parseNumber(t: Token | undefined, op: string): number {
  if (t?.kind === 'number') return Number(t.text);
  const hint = t?.text === '-' ? 'a threshold value cannot be negative' : 'the value is a number, e.g. 50ms, 0, 1000/s';
  throw new Invalid(`expected a number after "${op}", got ${quote(t)}`, hint);
}

/** Reads the unit tokens after the value and returns the value in the metric's unit, plus the tokens used. */
function applyUnit(metric: { path: string; kind: MetricKind }, value: number, rest: Token[]): { value: number; used: number } {
  const [first, second] = rest;
  if (metric.kind === 'latency') {
    if (first?.kind !== 'word') return { value, used: 0 }; // a plain number is milliseconds
    const factor = LATENCY_UNITS[first.text];
    if (factor === undefined) throw new Invalid(`unknown latency unit "${first.text}"`, 'use us, ms or s; a plain number is ms');
    return { value: value * factor, used: 1 };
  }
  if (metric.kind === 'rate') {
    if (first?.kind !== 'slash') {
      if (first?.kind === 'word') throw new Invalid(`${metric.path} is a rate per second: "${first.text}" is not its unit`, `write e.g. 1000 or 1000/s`);
      return { value, used: 0 };
    }
    if (second?.kind === 'word' && second.text === 's') return { value, used: 2 };
    throw new Invalid(`${metric.path} is a rate per second: write /s after the number`, 'e.g. 1000/s');
  }
  if (first?.kind === 'word' || first?.kind === 'slash') {
    throw new Invalid(`${metric.path} is a count: write a plain number without a unit`, `e.g. "${metric.path} == 0"`);
  }
  return { value, used: 0 };
}

/** Parses one threshold expression. Never throws. */
export function parseThreshold(text: string): ParsedThreshold {
  const expression = text.trim();
  if (expression === '') return { ok: false, message: 'the threshold is empty', hint: EXAMPLE };
  const tokens = tokenize(expression);
  try {
    const metric = parseMetric(tokens[0]);
    const op = parseOp(tokens[1], metric.path);
    const number = parseNumber(tokens[2], op);
    const { value, used } = applyUnit(metric, number, tokens.slice(3));
    const extra = tokens[3 + used];
    if (extra) {
      throw new Invalid(`unexpected "${extra.text}" at column ${extra.col}`, 'a threshold is one comparison: <metric> <op> <value>');
    }
    return { ok: true, threshold: { expression, metric: metric.path, kind: metric.kind, op, value } };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    return { ok: false, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  }
}

/**
 * Checks a parsed threshold against a results file. A latency without samples, or a count with no data behind
 * it (messages.lost when nothing was expected), fails: it proves nothing.
 */
export function evaluateThreshold(threshold: Threshold, results: Results): ThresholdResult {
  const metric = findMetric(threshold.metric);
  if (!metric) throw new Error(`unknown metric ${threshold.metric}`);
  const { value, measured, noData } = metric.read(results.summary);
  if (!measured) return { expression: threshold.expression, actual: value, ok: false, note: noData ? `no data: ${noData}` : 'no samples' };
  return { expression: threshold.expression, actual: value, ok: COMPARE[threshold.op](value, threshold.value) };
}

/**
 * Checks every expression against `results`, in order. Throws on an invalid expression: callers validate
 * them first (the scenario loader and the CLI do).
 */
export function checkThresholds(results: Results, list: readonly string[]): ThresholdResult[] {
  return list.map((text) => {
    const parsed = parseThreshold(text);
    if (!parsed.ok) throw new Error(`invalid threshold "${text}": ${parsed.message}`);
    return evaluateThreshold(parsed.threshold, results);
  });
}

/** The unit a threshold's actual value is in, for display: "ms", "/s" or "" for counts. */
export function thresholdUnit(expression: string): string {
  const parsed = parseThreshold(expression);
  if (!parsed.ok) return '';
  return parsed.threshold.kind === 'latency' ? 'ms' : parsed.threshold.kind === 'rate' ? '/s' : '';
}
