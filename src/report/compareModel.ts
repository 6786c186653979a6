/**
 * The comparison worked out, before any rendering: for each side (one or more runs of one broker), each
 * figure's median and bootstrap interval, which runs cannot be judged on it and why, and a verdict that
 * names a better side only when the difference is significant and beyond the practical threshold.
 * Pure and deterministic (the bootstrap is seeded): the same files give the same comparison.
 */
import type { Results } from '../metrics/types.js';
import { COMPARE_ROWS, type Better, type CompareRow, type RowGroup } from './compareRows.js';
import { NONE } from './format.js';
import { DEFAULT_DECISION, difference, isReal, median, medianInterval, methodNote, type DecisionOptions, type Difference, type Scale } from './stats.js';

/** One side of a comparison: a broker (or configuration) and its repeated runs. */
export interface Side {
  label: string;
  runs: Results[];
}

export interface Cell {
  /** What is printed: the median, with its interval when there are several runs. */
  text: string;
  /** Judged values of the valid runs (for 'plan' rows: the ratio to the plan). */
  values: number[];
  median?: number;
  interval?: [number, number];
  /** Why this side cannot be judged on this row; such a cell is never marked best. */
  invalid?: string;
  /** Runs left out of the figure because they could not be judged, with the reasons. */
  leftOut?: string;
}

export interface RowResult {
  label: string;
  group: RowGroup;
  better: Better;
  cells: Cell[];
  /** Two sides: the change from the first to the second, printed ("" when it has no meaning). */
  change: string;
  /** "mosquitto better", "no significant difference", "no verdict (one run on a side)", "invalid: …" or "". */
  verdict: string;
  /** Per side: significantly and practically better than every other side. */
  best: boolean[];
  difference?: Difference;
}

export interface Comparison {
  method: string;
  options: DecisionOptions;
  sides: { label: string; runs: number }[];
  rows: RowResult[];
  /** What differs between the sides' scenarios (empty: the same workload). */
  scenarioDifferences: string[];
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

function cellOf(row: CompareRow, side: Side, opts: DecisionOptions): Cell {
  const raw = side.runs.map((r) => row.read(r));
  if (row.better === 'none' && raw.some((v) => typeof v === 'string')) {
    const texts = unique(raw.map((v) => (v === undefined ? NONE : String(v))));
    return { text: texts.join(', '), values: [] };
  }
  const reasons = side.runs.map((r) => (row.better === 'none' ? undefined : row.invalid?.(r)));
  const values = raw.flatMap((v, i) => (typeof v === 'number' && reasons[i] === undefined ? [v] : []));
  const bad = unique(reasons.filter((x): x is string => x !== undefined));
  if (values.length === 0) {
    if (bad.length > 0) return { text: `invalid: ${bad.join('; ')}`, values, invalid: bad.join('; ') };
    return { text: NONE, values };
  }
  const leftOut = bad.length > 0 ? `${side.runs.length - values.length} of ${side.runs.length} runs left out: ${bad.join('; ')}` : undefined;
  const med = median(values);
  if (values.length === 1) return { text: row.format(med), values, median: med, ...(leftOut ? { leftOut } : {}) };
  const iv = medianInterval(values, opts);
  return { text: `${row.format(med)} [${row.format(iv[0])}–${row.format(iv[1])}]`, values, median: med, interval: iv, ...(leftOut ? { leftOut } : {}) };
}

/** The value a row is judged on: lower is better for every judged row (for 'plan' rows, the distance from the plan). */
const judged = (row: CompareRow, values: number[]): number[] => (row.better === 'plan' ? values.map((v) => Math.abs(v - 1)) : values);
const scaleOf = (row: CompareRow): Scale => (row.better === 'plan' ? 'points' : 'relative');

function signed(x: number, digits: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;
}

/** A change as text: "+20.1 % [+18.0 %, +22.3 %]", "+3.6 pp", "from 0". */
export function fmtChange(d: Difference): string {
  const one = (x: number): string => {
    if (!Number.isFinite(x)) return x > 0 ? 'up from 0' : 'down from 0';
    return d.scale === 'points' ? `${signed(x * 100, 1)} pp` : `${signed(x * 100, 1)} %`;
  };
  return d.interval ? `${one(d.change)} [${one(d.interval[0])}, ${one(d.interval[1])}]` : one(d.change);
}

/** For a judged row, is side i better than side j: significant, beyond the practical threshold, in the better direction? */
function beats(row: CompareRow, ci: Cell, cj: Cell, opts: DecisionOptions): boolean {
  if (ci.invalid || cj.invalid || ci.values.length === 0 || cj.values.length === 0) return false;
  const d = difference(judged(row, cj.values), judged(row, ci.values), opts, scaleOf(row));
  return isReal(d) && d.change < 0;
}

function rowOf(row: CompareRow, sides: readonly Side[], opts: DecisionOptions): RowResult {
  const cells = sides.map((s) => cellOf(row, s, opts));
  const base = { label: row.label, group: row.group, better: row.better, cells };
  const judgedRow = row.better !== 'none';
  const best = cells.map((c, i) => judgedRow && cells.length > 1 && cells.every((o, j) => j === i || beats(row, c, o, opts)));
  if (sides.length !== 2) {
    const winner = best.findIndex(Boolean);
    const someInvalid = cells.some((c) => c.invalid);
    const verdict = !judgedRow
      ? ''
      : winner >= 0
        ? `${sides[winner].label} best`
        : cells.some((c) => c.values.length > 0 && c.values.length < 2)
          ? 'no verdict (one run on a side)'
          : someInvalid
            ? 'no verdict (a side is invalid)'
            : 'no significant difference';
    return { ...base, change: '', verdict, best };
  }
  const [a, b] = cells;
  if (a.values.length === 0 || b.values.length === 0) {
    const invalid = cells.flatMap((c, i) => (c.invalid ? [`${sides[i].label}: ${c.invalid}`] : []));
    return { ...base, change: '', verdict: judgedRow && invalid.length > 0 ? `invalid (${invalid.join('; ')})` : '', best };
  }
  if (!judgedRow) {
    const d = difference(a.values, b.values, opts);
    return { ...base, change: fmtChange({ ...d, interval: undefined }), verdict: '', best };
  }
  const d = difference(judged(row, a.values), judged(row, b.values), opts, scaleOf(row));
  let verdict: string;
  // Below the practical threshold there is nothing to call, noise or not; above it, one run says nothing about noise.
  if (!d.practical) verdict = 'no significant difference';
  else if (!d.interval) verdict = 'no verdict (one run on a side)';
  else if (isReal(d)) verdict = `${sides[d.change < 0 ? 1 : 0].label} better`;
  else verdict = 'no significant difference';
  return { ...base, change: fmtChange(d), verdict, best, difference: d };
}

/** Rows to show: every row some side has a figure for; per-QoS rows only where some run carried that class. */
function shown(r: RowResult): boolean {
  return r.cells.some((c) => c.text !== NONE && !(r.group === 'qos' && c.invalid?.startsWith('no QoS')));
}

export function buildComparison(
  sides: readonly Side[],
  opts: DecisionOptions = DEFAULT_DECISION,
  rows: readonly CompareRow[] = COMPARE_ROWS,
  scenarioDifferences: string[] = [],
): Comparison {
  if (sides.length < 2) throw new Error('a comparison needs at least two sides');
  return {
    method: methodNote(opts),
    options: opts,
    sides: sides.map((s) => ({ label: s.label, runs: s.runs.length })),
    rows: rows.map((row) => rowOf(row, sides, opts)).filter(shown),
    scenarioDifferences,
  };
}
