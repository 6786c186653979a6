/**
 * The broker over time in the HTML report: CPU (cores, with the busiest thread dashed) and memory (RSS) per
 * second, on the same time axis as the throughput and p99 charts (the union of every run's seconds, from
 * `intervals[i].broker`). No chart when no run watched the broker.
 */
import type { ComparisonItem } from './compare.js';
import { colorOf, type ChartSpec, type SeriesSpec } from './htmlData.js';

const MIB = 2 ** 20;
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export function brokerTimeCharts(items: readonly ComparisonItem[]): ChartSpec[] {
  const rows = items.map((it) => (Array.isArray(it.results.intervals) ? it.results.intervals : []));
  if (!rows.some((r) => r.some((row) => row.broker))) return [];
  const x = [...new Set(rows.flatMap((r) => r.map((row) => row.t)).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const byT = rows.map((r) => new Map(r.map((row) => [row.t, row.broker])));
  const series = (pick: (b: NonNullable<(typeof rows)[number][number]['broker']>) => unknown, name: string, dash = false): SeriesSpec[] =>
    items.flatMap((it, i) => {
      const values = x.map((t) => {
        const b = byT[i].get(t);
        return b ? num(pick(b)) : null;
      });
      return values.some((v) => v !== null) ? [{ label: `${it.label} ${name}`, color: colorOf(i), values, ...(dash ? { dash: true } : {}) }] : [];
    });
  const chart = (id: string, title: string, yLabel: string, s: SeriesSpec[]): ChartSpec => ({
    id, title, xLabel: 'seconds since publishing started', yLabel, xKind: 'linear', x, xText: x.map((t) => `${t} s`), series: s,
  });
  return [
    chart('chart-broker-cpu', 'Broker CPU per second (user + system)', 'cores', [
      ...series((b) => b.cpuCores, 'CPU'),
      ...series((b) => b.maxThreadCpuCores, 'busiest thread', true),
    ]),
    chart('chart-broker-memory', 'Broker memory per second', 'MiB', series((b) => (b.rssBytes === undefined ? undefined : b.rssBytes / MIB), 'RSS')),
  ].filter((c) => c.series.length > 0);
}
