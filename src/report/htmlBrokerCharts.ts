/**
 * The broker over time in the HTML report: CPU (cores, with the busiest thread dashed) and memory (RSS) per
 * second, on the same time axis as the throughput and p99 charts (the union of every run's seconds, from
 * `intervals[i].broker`). No chart when no run watched the broker.
 */
import type { IntervalBroker } from '../observe/types.js';
import type { ChartRun, ChartSpec, SeriesSpec } from './htmlData.js';

const MIB = 2 ** 20;
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export function brokerTimeCharts(prefix: string, runs: readonly ChartRun[]): ChartSpec[] {
  const rows = runs.map((r) => (Array.isArray(r.item.results.intervals) ? r.item.results.intervals : []));
  if (!rows.some((rs) => rs.some((row) => row.broker))) return [];
  const x = [...new Set(rows.flatMap((rs) => rs.map((row) => row.t)).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const byT = rows.map((rs) => new Map(rs.map((row) => [row.t, row.broker])));
  const series = (pick: (b: IntervalBroker) => unknown, name: string, unit: string, dashed = false): SeriesSpec[] =>
    runs.flatMap((r, i) => {
      const values = x.map((t) => {
        const b = byT[i].get(t);
        return b ? num(pick(b)) : null;
      });
      return values.some((v) => v !== null)
        ? [{ label: `${r.name} ${name}`, color: r.color, width: r.width, unit, values, ...(dashed ? { dash: [8, 5], hollow: true } : {}) }]
        : [];
    });
  const chart = (id: string, title: string, yLabel: string, s: SeriesSpec[]): ChartSpec => ({
    id: `${prefix}${id}`,
    title,
    xLabel: 'seconds since publishing started',
    yLabel,
    xKind: 'linear',
    x,
    xText: x.map((t) => `${t} s`),
    series: s,
  });
  return [
    chart('broker-cpu', 'Broker CPU per second', 'cores', [
      ...series((b) => b.cpuCores, 'CPU', ' cores'),
      ...series((b) => b.maxThreadCpuCores, 'busiest thread', ' cores', true),
    ]),
    chart(
      'broker-memory',
      'Broker memory per second',
      'MiB',
      series((b) => (b.rssBytes === undefined ? undefined : b.rssBytes / MIB), 'RSS', ' MiB'),
    ),
  ].filter((c) => c.series.length > 0);
}
