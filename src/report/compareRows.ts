/**
 * The figures `mqbench compare` puts side by side: how to read each from a results file, how to print it,
 * and which direction is better. Reads defensively: a figure an older file lacks is shown as missing.
 */
import type { HistogramKey, Results } from '../metrics/types.js';
import { fmtInt, fmtMs, fmtRate } from './format.js';

/** Which value wins a row: latency, loss and failures are better low, throughput high; 'none' is context. */
export type Better = 'lower' | 'higher' | 'none';

export interface CompareRow {
  label: string;
  better: Better;
  /** The figure, or undefined when the file has none (e.g. a latency without samples). Text rows give strings. */
  read(r: Results): number | string | undefined;
  /** Prints a numeric figure. */
  format(n: number): string;
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

type Stat = 'p50' | 'p90' | 'p99' | 'p999' | 'max';
const STAT_LABEL: Record<Stat, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' };

function latency(key: HistogramKey, name: string, stat: Stat): CompareRow {
  return {
    label: `${name} ${STAT_LABEL[stat]} (ms)`,
    better: 'lower',
    read: (r) => {
      const l = r.summary?.latencyMs?.[key];
      return l && l.count > 0 ? num(l[stat]) : undefined;
    },
    format: fmtMs,
  };
}

function count(label: string, better: Better, read: (r: Results) => unknown): CompareRow {
  return { label, better, read: (r) => num(read(r)), format: fmtInt };
}

function rate(label: string, read: (r: Results) => unknown): CompareRow {
  return { label, better: 'higher', read: (r) => num(read(r)), format: fmtRate };
}

function text(label: string, read: (r: Results) => string | undefined): CompareRow {
  return { label, better: 'none', read, format: String };
}

/** Rows in display order. */
export const COMPARE_ROWS: readonly CompareRow[] = [
  rate('throughput sent', (r) => r.summary?.throughput?.sentPerSec),
  rate('throughput received', (r) => r.summary?.throughput?.receivedPerSec),
  latency('connect', 'connect', 'p50'),
  latency('connect', 'connect', 'p99'),
  latency('publishAck', 'publish→ack', 'p50'),
  latency('publishAck', 'publish→ack', 'p99'),
  latency('endToEnd', 'end-to-end', 'p50'),
  latency('endToEnd', 'end-to-end', 'p90'),
  latency('endToEnd', 'end-to-end', 'p99'),
  latency('endToEnd', 'end-to-end', 'p999'),
  latency('endToEnd', 'end-to-end', 'max'),
  latency('endToEndUncorrected', 'end-to-end uncorrected', 'p99'),
  count('messages planned', 'none', (r) => r.summary?.messages?.planned),
  count('messages sent', 'none', (r) => r.summary?.messages?.sent),
  count('messages unsent', 'lower', (r) => r.summary?.messages?.unsent),
  count('messages unconfirmed', 'lower', (r) => r.summary?.messages?.unconfirmed),
  count('messages expected', 'none', (r) => r.summary?.messages?.expected),
  count('messages received', 'none', (r) => r.summary?.messages?.received),
  count('messages lost', 'lower', (r) => r.summary?.messages?.lost),
  count('messages duplicated', 'lower', (r) => r.summary?.messages?.duplicated),
  count('in-flight window', 'none', (r) => r.summary?.messages?.inflightWindow),
  count('connection failures', 'lower', (r) => r.summary?.connections?.failed),
  text('status', (r) => (typeof r.status === 'string' ? r.status : undefined)),
  text('generator saturated', (r) => (typeof r.generator?.saturated === 'boolean' ? (r.generator.saturated ? 'yes' : 'no') : undefined)),
  text('broker back-pressure', (r) => (r.summary?.messages?.planned === undefined ? undefined : r.summary.backPressure ? 'yes' : 'no')),
];
