/**
 * The threshold language: `<metric> <op> <value>`, e.g. "endToEnd.p99 < 50ms", "messages.lost == 0",
 * "throughput.receivedPerSec >= 1000/s". Parsed from tokens by hand, once, into a `Threshold` that keeps the
 * expression text for the results; an expression is never evaluated as code. Checking one is evaluate.ts.
 */
import { findMetric, metricHint, unitOf, type MetricKind, type MetricName } from './metrics.js';
import { tokenize, type Token } from './tokens.js';

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

const OPS: ReadonlySet<string> = new Set<ThresholdOp>(['<', '<=', '>', '>=', '==', '!=']);
const isOp = (text: string): text is ThresholdOp => OPS.has(text);

/** Common slips and what was meant. */
const OP_FIXES: Record<string, string> = { '=': '==', '===': '==', '=<': '<=', '=>': '>=', '<>': '!=', '!==': '!=' };

/** Latency units → factor to milliseconds. */
const LATENCY_UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

const OPS_TEXT = '<, <=, >, >=, == or !=';
const EXAMPLE = 'e.g. "endToEnd.p99 < 50ms" or "messages.lost == 0"';

class Invalid extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const quote = (t: Token | undefined) => (t ? `"${t.text}"` : 'the end');

function parseMetric(t: Token | undefined): MetricName {
  if (t?.kind !== 'word') {
    throw new Invalid(`a threshold starts with a metric name, got ${quote(t)}`, EXAMPLE);
  }
  const metric = findMetric(t.text);
  if (!metric) throw new Invalid(`unknown metric "${t.text}"`, metricHint(t.text));
  return metric;
}

function parseOp(t: Token | undefined, metric: string): ThresholdOp {
  if (t?.kind === 'op') {
    if (isOp(t.text)) return t.text;
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
function applyUnit(metric: MetricName, value: number, rest: Token[]): { value: number; used: number } {
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

/** The unit a threshold's actual value is shown in ("ms", "/s" or "" for counts), from its expression as written in a results file. */
export function thresholdUnit(expression: string): string {
  const parsed = parseThreshold(expression);
  return parsed.ok ? unitOf(parsed.threshold.kind) : '';
}
