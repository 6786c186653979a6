/**
 * The chart data of the HTML report, worked out in Node for one scenario group at a time: percentile curves
 * from the HDR histograms, per-second series aligned on a shared time axis, and the capacity curves of every
 * broker on one shared rate axis. The page only draws it.
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
  /** Dash pattern in pixels (e.g. [8, 5]); absent: a solid line. */
  dash?: number[];
  /** Line width in pixels (default 2). */
  width?: number;
  /** Hollow point markers (e.g. received next to sent, p50 next to p99). */
  hollow?: boolean;
  /** Points only, no line (e.g. the capacity steps that missed the SLO). */
  pointsOnly?: boolean;
  /** A line without point markers (e.g. the SLO limit). */
  noPoints?: boolean;
  /** Draw the line across missing values (capacity curves on a shared rate axis). */
  spanGaps?: boolean;
  /** Unit appended to values in the legend, e.g. " ms". */
  unit?: string;
}

export interface ChartSpec {
  /** Element id of the chart's container in the page. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** 'percentile': x is 1/(1−p) on a log axis, ticked at `ticks`. */
  xKind: 'percentile' | 'linear';
  /** Id of the checkbox that puts the y axis on a log scale (latency charts). */
  logToggle?: string;
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

/** Checkbox ids of the log-scale switches. */
export const PCT_LOG = 'pct-log';
export const TIME_LOG = 'time-log';

/** Distinguishable colours, also for colour-blind readers; brokers beyond eight reuse them. */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#7a5c00', '#444444'];
export const colorOf = (run: number): string => PALETTE[run % PALETTE.length];
const BAD = '#c62828';

/** A run in a chart: its legend name and its broker's colour (repeats of one broker share it, thinner). */
export interface ChartRun {
  item: ComparisonItem;
  name: string;
  color: string;
  width: number;
}

export const PERCENTILE_KINDS: readonly { key: HistogramKey; title: string }[] = [
  { key: 'endToEnd', title: 'End-to-end latency by percentile (corrected for schedule)' },
  { key: 'publishAck', title: 'Publish → ack latency by percentile' },
  { key: 'connect', title: 'Connect latency by percentile' },
];

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function percentileChart(prefix: string, runs: readonly ChartRun[], key: HistogramKey, title: string): ChartSpec {
  const decoded = runs.map((r) => tryDecode(r.item.results.histograms?.[key]));
  const grid = percentileGrid(Math.max(1, ...decoded.map((h) => h?.totalCount ?? 0)));
  const series = runs.flatMap((r, i): SeriesSpec[] => {
    const h = decoded[i];
    if (!h || h.totalCount === 0) return [];
    return [{ label: r.name, color: r.color, width: r.width, unit: ' ms', values: percentileCurve(h, grid).map((v) => (v === null ? null : round3(v))) }];
  });
  return {
    id: `${prefix}pct-${key}`,
    title,
    xLabel: 'percentile',
    yLabel: 'latency (ms)',
    xKind: 'percentile',
    logToggle: PCT_LOG,
    x: grid,
    xText: grid.map(percentileLabel),
    ticks: percentileTicks(grid),
    series,
  };
}

/** Latency-by-percentile charts for the kinds that have samples in at least one run. */
export function percentileCharts(prefix: string, runs: readonly ChartRun[]): ChartSpec[] {
  return PERCENTILE_KINDS.map((k) => percentileChart(prefix, runs, k.key, k.title)).filter((c) => c.series.length > 0);
}

type IntervalField = 'sent' | 'received' | 'connections' | 'endToEndP50' | 'endToEndP99';

function num(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Per measure: a solid line with filled points, or a dashed one with hollow points. */
const STYLE: Record<'solid' | 'second' | 'dotted', Pick<SeriesSpec, 'dash' | 'hollow'>> = {
  solid: {},
  second: { dash: [8, 5], hollow: true },
  dotted: { dash: [2, 4], hollow: true },
};

/** Per-second charts on the union of every run's seconds; a second a run lacks is a gap. */
export function timeCharts(prefix: string, runs: readonly ChartRun[]): ChartSpec[] {
  const rows = runs.map((r) => (Array.isArray(r.item.results.intervals) ? r.item.results.intervals : []));
  const x = [...new Set(rows.flatMap((r) => r.map((row) => row.t)).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const byT = rows.map((r) => new Map<number, IntervalRow>(r.map((row) => [row.t, row])));
  const pick = (i: number, field: IntervalField): (number | null)[] => x.map((t) => num(byT[i].get(t)?.[field]));
  type Field = { f: IntervalField; name: string; style: keyof typeof STYLE };
  const make = (id: string, title: string, yLabel: string, unit: string, fields: Field[], logToggle?: string): ChartSpec => ({
    id: `${prefix}${id}`,
    title,
    xLabel: 'seconds since publishing started',
    yLabel,
    xKind: 'linear',
    x,
    xText: x.map((t) => `${t} s`),
    ...(logToggle ? { logToggle } : {}),
    series: runs.flatMap((r, i) =>
      fields.map((fd): SeriesSpec => ({ label: `${r.name} ${fd.name}`, color: r.color, width: r.width, unit, values: pick(i, fd.f), ...STYLE[fd.style] })),
    ),
  });
  return [
    make('throughput', 'Throughput per second', 'messages / s', '/s', [
      { f: 'sent', name: 'sent', style: 'solid' },
      { f: 'received', name: 'received', style: 'second' },
    ]),
    make(
      'e2e-time',
      'End-to-end latency per second',
      'latency (ms)',
      ' ms',
      [
        { f: 'endToEndP99', name: 'p99', style: 'solid' },
        { f: 'endToEndP50', name: 'p50', style: 'dotted' },
      ],
      TIME_LOG,
    ),
    make('connections', 'Open connections', 'connections', '', [{ f: 'connections', name: 'connections', style: 'solid' }]),
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

/** One latency-versus-rate chart for the runs of a group that carry a capacity search, on one shared rate axis. */
export function capacityChart(prefix: string, runs: readonly ChartRun[]): ChartSpec | undefined {
  const caps = runs.flatMap((r) => {
    const cap = capacityOf(r.item.results);
    return cap && cap.steps.length > 0 ? [{ r, cap }] : [];
  });
  if (caps.length === 0) return undefined;
  const x = [...new Set(caps.flatMap((c) => c.cap.steps.map((s) => s.rate)))].sort((a, b) => a - b);
  const at = (steps: { rate: number; p99: number }[], pick: (s: { rate: number; p99: number; ok: boolean }) => number | null) =>
    x.map((rate) => {
      const s = steps.find((st) => st.rate === rate) as { rate: number; p99: number; ok: boolean } | undefined;
      return s ? pick(s) : null;
    });
  const series: SeriesSpec[] = caps.map(({ r, cap }) => ({
    label: `${r.name} p99`,
    color: r.color,
    width: r.width,
    unit: ' ms',
    spanGaps: true,
    values: at(cap.steps, (s) => s.p99),
  }));
  const missed = x.map((_rate, i) => {
    const vals = caps.map(({ cap }) => at(cap.steps, (s) => (s.ok ? null : s.p99))[i]).filter((v): v is number => v !== null);
    return vals.length > 0 ? Math.max(...vals) : null;
  });
  series.push({ label: 'SLO missed', color: BAD, pointsOnly: true, unit: ' ms', values: missed });
  const limit = caps.map((c) => sloP99(c.cap.slo)).find((v) => v !== undefined);
  if (limit !== undefined) series.push({ label: `SLO p99 ${limit} ms`, color: BAD, dash: [8, 5], noPoints: true, unit: ' ms', values: x.map(() => limit) });
  const markers = caps.flatMap(({ r, cap }) => [
    ...(cap.maxRate !== null ? [{ x: cap.maxRate, label: `${r.name}: max within SLO ${fmtRate(cap.maxRate)}`, color: r.color }] : []),
    ...(cap.knee !== undefined ? [{ x: cap.knee, label: `${r.name}: knee ${fmtRate(cap.knee)}`, color: r.color }] : []),
  ]);
  return {
    id: `${prefix}capacity`,
    title: 'p99 latency versus offered rate (every broker on one axis)',
    xLabel: 'offered rate (messages / s)',
    yLabel: 'p99 latency (ms)',
    xKind: 'linear',
    x,
    xText: x.map((v) => fmtRate(v)),
    series,
    markers,
  };
}
