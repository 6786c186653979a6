/**
 * CSV for spreadsheets and CI dashboards, in long form so that any number of runs fits one file:
 *   broker,scenario,repeat,section,t,phase,metric,value
 * section "summary": one row per summary metric (named as in --threshold, e.g. endToEnd.p99 in ms; empty value:
 * nothing measured), plus status; section "second": one row per second and per-second figure.
 */
import type { IntervalRow, Results } from '../metrics/types.js';
import { measure } from '../thresholds/measure.js';
import { findMetric, METRIC_PATHS } from '../thresholds/metrics.js';
import { brokerLabel, scenarioLabel } from './compare.js';

export const CSV_HEADER = 'broker,scenario,repeat,section,t,phase,metric,value';

const SECOND_FIELDS = [
  'sent',
  'received',
  'acked',
  'expected',
  'lateSends',
  'connections',
  'endToEndP50',
  'endToEndP99',
  'lost',
] as const satisfies readonly (keyof IntervalRow)[];

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ cannot start a formula. */
export function csvField(x: string | number | undefined | null): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'number') return Number.isFinite(x) ? String(Math.round(x * 1e6) / 1e6) : '';
  const safe = /^[=+\-@]/.test(x) ? `'${x}` : x;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface CsvRun {
  results: Results;
  label?: string;
  repeat?: number;
}

function rowsOf(run: CsvRun): string[] {
  const r = run.results;
  const head = [run.label ?? brokerLabel(r), scenarioLabel(r), run.repeat ?? 1].map(csvField).join(',');
  const line = (section: string, t: number | undefined, phase: string, metric: string, value: string | number | undefined | null) =>
    `${head},${section},${csvField(t)},${csvField(phase)},${csvField(metric)},${csvField(value)}`;
  const out = [line('summary', undefined, '', 'status', r.status), line('summary', undefined, '', 'durationSec', r.durationSec)];
  for (const path of METRIC_PATHS) {
    const metric = findMetric(path);
    if (!metric || !r.summary) continue;
    const v = measure(r.summary, metric.source);
    out.push(line('summary', undefined, '', path, v.measured ? v.value : undefined));
  }
  for (const row of Array.isArray(r.intervals) ? r.intervals : []) {
    for (const f of SECOND_FIELDS) out.push(line('second', row.t, row.phase, f, row[f]));
  }
  return out;
}

/** The CSV document (header and rows, newline-terminated). */
export function renderCsv(runs: readonly CsvRun[]): string {
  return `${[CSV_HEADER, ...runs.flatMap(rowsOf)].join('\n')}\n`;
}
