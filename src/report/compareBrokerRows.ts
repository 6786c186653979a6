/**
 * The broker's own figures in `mqbench compare` (results.broker, when the runs watched the broker): CPU and
 * memory side by side, CPU per 1,000 messages (its b/a ratio is the cost ratio of two brokers), memory per
 * connection and the cross-check of counts. Less is better for each resource at the same workload. Kept apart
 * from compareRows.ts so the general rows can change without touching these.
 */
import type { Results } from '../metrics/types.js';
import type { AvgMax } from '../observe/types.js';
import { fmtBytes } from './brokerFigures.js';
import type { CompareRow } from './compareRow.js';
import { fmtInt } from './format.js';

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const res = (r: Results, k: 'cpuCores' | 'maxThreadCpuCores' | 'rssBytes' | 'fds'): AvgMax | undefined => r.broker?.resources?.[k];
const cores = (x: number) => x.toFixed(2);
const ms = (x: number) => (x >= 100 ? fmtInt(x) : x.toPrecision(3));

/** A broker row: grouped under "broker resources" where compare groups its rows. */
function row(
  label: string,
  format: (n: number) => string,
  read: (r: Results) => unknown,
  better: 'lower' | 'none' = 'lower',
): CompareRow & { group: 'broker' } {
  return { label, group: 'broker', better, format, read: (r) => num(read(r)) };
}

/** "0 / −10": broker − mqbench for received, then sent. */
function countsDifference(r: Results): string | undefined {
  const d = r.broker?.counters?.difference;
  return d ? `${fmtInt(d.received)} / ${fmtInt(d.sent)}` : undefined;
}

export const BROKER_COMPARE_ROWS: readonly (CompareRow & { group: 'broker' })[] = [
  row('broker CPU avg (cores)', cores, (r) => res(r, 'cpuCores')?.avg),
  row('broker CPU max (cores)', cores, (r) => res(r, 'cpuCores')?.max),
  row('broker busiest thread max (cores)', cores, (r) => res(r, 'maxThreadCpuCores')?.max),
  row('broker memory avg (RSS)', fmtBytes, (r) => res(r, 'rssBytes')?.avg),
  row('broker memory max (RSS)', fmtBytes, (r) => res(r, 'rssBytes')?.max),
  row('broker open fds max', fmtInt, (r) => res(r, 'fds')?.max, 'none'),
  row('broker CPU per 1k msgs in (ms)', ms, (r) => r.broker?.costs?.cpuMsPer1kMessages?.in),
  row('broker CPU per 1k msgs out (ms)', ms, (r) => r.broker?.costs?.cpuMsPer1kMessages?.out),
  row('broker memory per connection', fmtBytes, (r) => r.broker?.costs?.bytesPerConnection?.bytesPerConnection),
  { label: 'broker − mqbench counts (in / out)', group: 'broker', better: 'none', format: String, read: countsDifference },
];
