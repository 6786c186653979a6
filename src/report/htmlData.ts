/**
 * The chart data of the HTML report, worked out in Node: percentile curves from the HDR histograms,
 * per-second series aligned on a shared time axis, and capacity curves. The page only draws it.
 */
import { parseThreshold } from '../thresholds/parse.js';
import type { HistogramKey, IntervalRow } from '../metrics/types.js';
import { capacityOf } from './capacityPoints.js';
import type { ComparisonItem } from './compare.js';
import { fmtRate } from './format.js';
import { percentileCurve, percentileGrid, percentileLabel, percentileTicks, tryDecode } from './percentileCurve.js';

export interface SeriesSpec {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: boolean;
  /** Points only, no line (e.g. the capacity steps that missed the SLO). */
  pointsOnly?: boolean;
  /** A line without point markers (e.g. the SLO limit). */
  noPoints?: boolean;
}

export interface ChartSpec {
  /** Element id of the chart's container in the page. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** 'percentile': x is 1/(1−p) on a log axis, ticked at `ticks`; y (latency) may be shown on a log axis. */
  xKind: 'percentile' | 'linear';
  x: number[];
  /** How the legend shows each x value (same length as x). */
  xText: string[];
  ticks?: { at: number[]; labels: string[] };
  series: SeriesSpec[];
  /** Vertical marker lines, e.g. the highest rate within the SLO. */
  markers?: { x: number; label: string; color: string }[];
}

export interface ReportData {
  runs: string[];
  charts: ChartSpec[];
}

/** Distinguishable colours, also for colour-blind readers; runs beyond eight reuse them. */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7a5c00', '#444444'];
export const colorOf = (run: number): string => PALETTE[run % PALETTE.length];
const BAD = '#c62828';
const GOOD = '#2e7d32';

export const PERCENTILE_KINDS: readonly { key: HistogramKey; title: string }[] = [
  { key: 'endToEnd', title: 'End-to-end latency by percentile (corrected for schedule)' },
  { key: 'publishAck', title: 'Publish → ack latency by percentile' },
  { key: 'connect', title: 'Connect latency by percentile' },
];

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function percentileChart(items: readonly ComparisonItem[], key: HistogramKey, title: string): ChartSpec {
  const decoded = items.map((it) => tryDecode(it.results.histograms?.[key]));
  const grid = percentileGrid(Math.max(1, ...decoded.map((h) => h?.totalCount ?? 0)));
  const series = items.flatMap((it, i): SeriesSpec[] => {
    const h = decoded[i];
    if (!h || h.totalCount === 0) return [];
    return [{ label: it.label, color: colorOf(i), values: percentileCurve(h, grid).map((v) => (v === null ? null : round3(v))) }];
  });
  return {
    id: `chart-pct-${key}`, title, xLabel: 'percentile', yLabel: 'latency (ms)', xKind: 'percentile',
    x: grid, xText: grid.map(percentileLabel), ticks: percentileTicks(grid), series,
  };
}

/** Latency-by-percentile charts for the kinds that have samples in at least one run. */
export function percentileCharts(items: readonly ComparisonItem[]): ChartSpec[] {
  return PERCENTILE_KINDS.map((k) => percentileChart(items, k.key, k.title)).filter((c) => c.series.length > 0);
}

type IntervalField = 'sent' | 'received' | 'connections' | 'endToEndP50' | 'endToEndP99';

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Per-second charts on the union of every run's seconds; a second a run lacks is a gap. */
export function timeCharts(items: readonly ComparisonItem[]): ChartSpec[] {
  const rows = items.map((it) => (Array.isArray(it.results.intervals) ? it.results.intervals : []));
  const x = [...new Set(rows.flatMap((r) => r.map((row) => row.t)).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const byT = rows.map((r) => new Map<number, IntervalRow>(r.map((row) => [row.t, row])));
  const pick = (i: number, field: IntervalField): (number | null)[] => x.map((t) => num(byT[i].get(t)?.[field]));
  const make = (id: string, title: string, yLabel: string, fields: { f: IntervalField; name: string; dash?: boolean }[]): ChartSpec => ({
    id, title, xLabel: 'seconds since publishing started', yLabel, xKind: 'linear', x, xText: x.map((t) => `${t} s`),
    series: items.flatMap((it, i) =>
      fields.map((fd) => ({ label: `${it.label} ${fd.name}`, color: colorOf(i), values: pick(i, fd.f), ...(fd.dash ? { dash: true } : {}) })),
    ),
  });
  return [
    make('chart-throughput', 'Throughput per second', 'messages / s', [{ f: 'sent', name: 'sent' }, { f: 'received', name: 'received', dash: true }]),
    make('chart-e2e-time', 'End-to-end latency per second', 'latency (ms)', [{ f: 'endToEndP99', name: 'p99' }, { f: 'endToEndP50', name: 'p50', dash: true }]),
    make('chart-connections', 'Open connections', 'connections', [{ f: 'connections', name: 'connections' }]),
  ];
}

/** The p99 limit (ms) among SLO expressions such as "endToEnd.p99 < 50ms", if there is one. */
export function sloP99(slo: readonly string[]): number | undefined {
  for (const text of slo) {
    const parsed = parseThreshold(text);
    if (parsed.ok && parsed.threshold.kind === 'latency' && parsed.threshold.metric.endsWith('.p99')) return parsed.threshold.value;
  }
  return undefined;
}

/** One latency-versus-rate chart per run that carries a capacity search. */
export function capacityCharts(items: readonly ComparisonItem[]): ChartSpec[] {
  return items.flatMap((it, i): ChartSpec[] => {
    const cap = capacityOf(it.results);
    if (!cap || cap.steps.length === 0) return [];
    const steps = [...cap.steps].sort((a, b) => a.rate - b.rate);
    const limit = sloP99(cap.slo);
    const series: SeriesSpec[] = [
      { label: `${it.label} p99`, color: colorOf(i), values: steps.map((s) => s.p99) },
      { label: 'SLO missed', color: BAD, pointsOnly: true, values: steps.map((s) => (s.ok ? null : s.p99)) },
    ];
    if (limit !== undefined) series.push({ label: `SLO p99 ${limit} ms`, color: BAD, dash: true, noPoints: true, values: steps.map(() => limit) });
    const markers = [
      ...(cap.maxRate !== null ? [{ x: cap.maxRate, label: `max rate within SLO: ${fmtRate(cap.maxRate)}`, color: GOOD }] : []),
      ...(cap.knee !== undefined ? [{ x: cap.knee, label: `knee: ${fmtRate(cap.knee)}`, color: '#e69f00' }] : []),
    ];
    return [{
      id: `chart-capacity-${i}`, title: `p99 latency versus offered rate (${it.label})`, xLabel: 'offered rate (messages / s)',
      yLabel: 'p99 latency (ms)', xKind: 'linear', x: steps.map((s) => s.rate), xText: steps.map((s) => fmtRate(s.rate)), series, markers,
    }];
  });
}

export function reportData(items: readonly ComparisonItem[]): ReportData {
  return { runs: items.map((it) => it.label), charts: [...percentileCharts(items), ...timeCharts(items), ...capacityCharts(items)] };
}
