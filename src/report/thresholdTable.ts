/**
 * The "Thresholds" part of the end-of-run summary: each expression, the measured figure and pass/FAIL.
 */
import Table from 'cli-table3';
import { thresholdUnit } from '../thresholds/parse.js';
import type { ThresholdResult } from '../metrics/resultsFile.js';
import type { Paint } from './ansi.js';
import { fmtInt, fmtMs, fmtRate } from './format.js';

/** The measured figure in the unit of the threshold's metric: "1.24 ms", "2,000/s", "12". */
export function fmtThresholdActual(t: ThresholdResult): string {
  if (t.note) return t.note;
  const unit = thresholdUnit(t.expression);
  if (unit === 'ms') return `${fmtMs(t.actual)} ms`;
  if (unit === '/s') return fmtRate(t.actual);
  return Number.isInteger(t.actual) ? fmtInt(t.actual) : String(t.actual);
}

/** The table, or "" when the run had no thresholds. Failures are red when color is on. */
export function thresholdsTable(list: readonly ThresholdResult[] | undefined, paint: Paint): string {
  if (!list || list.length === 0) return '';
  const table = new Table({
    head: ['threshold', 'actual', 'result'].map((h) => paint.cyan(h)),
    colAligns: ['left', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const t of list) {
    const actual = fmtThresholdActual(t);
    table.push(t.ok ? [t.expression, actual, paint.green('pass')] : [t.expression, paint.red(actual), paint.red('FAIL')]);
  }
  return table.toString();
}

/** One line for the end of the summary: "Thresholds: 1 of 3 failed" / "Thresholds: all 3 passed". */
export function thresholdsLine(list: readonly ThresholdResult[]): string {
  const failed = list.filter((t) => !t.ok).length;
  const n = list.length;
  return failed === 0 ? `Thresholds: ${n === 1 ? 'the threshold' : `all ${n}`} passed` : `Thresholds: ${failed} of ${n} failed`;
}
