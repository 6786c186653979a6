/**
 * The figures `mqbench compare` (and the report's summary) put side by side: how to read each from a results
 * file, how to print it, how it is judged, and when a run cannot be judged on it. Reads defensively: a figure
 * an older file lacks is missing, not zero.
 */
import type { HistogramKey, Results } from '../metrics/types.js';
import { fmtInt, fmtMs, fmtRate } from './format.js';
import { BROKER_COMPARE_ROWS } from './compareBrokerRows.js';

export { ROW_GROUPS, GROUP_TITLE, type Better, type CompareRow, type RowGroup } from './compareRow.js';
import type { CompareRow, RowGroup } from './compareRow.js';

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

const share = (part: unknown, whole: unknown): number | undefined => {
  const p = num(part);
  const w = num(whole);
  return p === undefined || w === undefined || w <= 0 ? undefined : p / w;
};

export function fmtShare(x: number): string {
  const pct = x * 100;
  if (pct === 0) return '0 %';
  return `${pct >= 10 ? pct.toFixed(1) : pct >= 0.1 ? pct.toFixed(2) : pct.toPrecision(2)} %`;
}
const fmtOfPlan = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** A run that did not complete cannot be judged on any figure. */
export function runInvalid(r: Results): string | undefined {
  return r.status === 'complete' ? undefined : `run ${typeof r.status === 'string' ? r.status : 'of unknown status'}`;
}

/** Nothing to check on the receive side: no delivery expected (or no subscription granted). */
export function deliveryInvalid(r: Results): string | undefined {
  const run = runInvalid(r);
  if (run) return run;
  if ((num(r.summary?.messages?.expected) ?? 0) > 0) return undefined;
  return (num(r.summary?.connections?.subscribeFailed) ?? 0) > 0 ? 'no subscription granted' : 'no deliveries expected';
}

export function publishInvalid(r: Results): string | undefined {
  const run = runInvalid(r);
  if (run) return run;
  // Files from before the publish accounting have no `planned`: what was sent stands in for it.
  return (num(r.summary?.messages?.planned) ?? num(r.summary?.messages?.sent) ?? 0) > 0 ? undefined : 'nothing planned to send';
}

type Stat = 'p50' | 'p90' | 'p99' | 'p999' | 'max';
const STAT_LABEL: Record<Stat, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' };

function latency(key: HistogramKey, name: string, stat: Stat, invalid: (r: Results) => string | undefined): CompareRow {
  return {
    label: `${name} ${STAT_LABEL[stat]} (ms)`,
    group: 'latency',
    better: 'lower',
    invalid,
    format: fmtMs,
    read: (r) => {
      const l = r.summary?.latencyMs?.[key];
      return l && l.count > 0 ? num(l[stat]) : undefined;
    },
  };
}

const context = (label: string, group: RowGroup, format: (n: number) => string, read: (r: Results) => unknown): CompareRow => ({
  label,
  group,
  better: 'none',
  read: (r) => num(read(r)),
  format,
});

const lowerShare = (label: string, group: RowGroup, invalid: (r: Results) => string | undefined, read: (r: Results) => number | undefined): CompareRow => ({
  label,
  group,
  better: 'lower',
  read,
  format: fmtShare,
  invalid,
});

function text(label: string, read: (r: Results) => string | undefined): CompareRow {
  return { label, group: 'verdicts', better: 'none', read, format: String };
}

const m = (r: Results) => r.summary?.messages;
const perSec = (count: unknown, r: Results): number | undefined => {
  const c = num(count);
  const d = num(r.durationSec);
  return c === undefined || d === undefined || d <= 0 ? undefined : c / d;
};

function qosRows(q: '0' | '1' | '2'): CompareRow[] {
  const d = (r: Results) => r.summary?.byQos?.[q];
  const invalid = (r: Results) => deliveryInvalid(r) ?? ((d(r)?.expected ?? 0) > 0 ? undefined : `no QoS ${q} deliveries expected`);
  return [
    lowerShare(`QoS ${q} lost (% of expected)`, 'qos', invalid, (r) => share(d(r)?.lost, d(r)?.expected)),
    lowerShare(`QoS ${q} duplicated (% of expected)`, 'qos', invalid, (r) => share(d(r)?.duplicated, d(r)?.expected)),
  ];
}

function deliveryVerdicts(r: Results): string | undefined {
  const by = r.summary?.byQos;
  if (!by) return undefined;
  const parts = (['0', '1', '2'] as const).flatMap((q) => (by[q] ? [`QoS ${q} ${by[q].ok ? 'kept' : 'BROKEN'}`] : []));
  return parts.length > 0 ? parts.join(', ') : 'nothing to check';
}

function thresholdVerdict(r: Results): string | undefined {
  const t = Array.isArray(r.thresholds) ? r.thresholds : [];
  if (t.length === 0) return undefined;
  const pass = t.filter((x) => x.ok).length;
  return pass === t.length ? `${pass}/${t.length} pass` : `${t.length - pass}/${t.length} FAIL`;
}

/** Rows in display order (per-QoS rows are dropped by the renderer when no run has that class). */
export const COMPARE_ROWS: readonly CompareRow[] = [
  context('send rate', 'rates', fmtRate, (r) => r.summary?.throughput?.sentPerSec),
  {
    label: 'send rate (% of plan)',
    group: 'rates',
    better: 'plan',
    format: fmtOfPlan,
    invalid: publishInvalid,
    read: (r) => share(r.summary?.throughput?.sentPerSec, perSec(m(r)?.planned, r)),
  },
  context('receive rate', 'rates', fmtRate, (r) => r.summary?.throughput?.receivedPerSec),
  {
    label: 'receive rate (% of expected)',
    group: 'rates',
    better: 'plan',
    format: fmtOfPlan,
    invalid: deliveryInvalid,
    read: (r) => share(r.summary?.throughput?.receivedPerSec, perSec(m(r)?.expected, r)),
  },
  latency('connect', 'connect', 'p50', runInvalid),
  latency('connect', 'connect', 'p99', runInvalid),
  latency('publishAck', 'publish→ack', 'p50', publishInvalid),
  latency('publishAck', 'publish→ack', 'p99', publishInvalid),
  latency('endToEnd', 'end-to-end', 'p50', deliveryInvalid),
  latency('endToEnd', 'end-to-end', 'p90', deliveryInvalid),
  latency('endToEnd', 'end-to-end', 'p99', deliveryInvalid),
  latency('endToEnd', 'end-to-end', 'p999', deliveryInvalid),
  latency('endToEnd', 'end-to-end', 'max', deliveryInvalid),
  latency('endToEndUncorrected', 'end-to-end uncorrected', 'p99', deliveryInvalid),
  context('messages planned', 'publish', fmtInt, (r) => m(r)?.planned),
  context('messages sent', 'publish', fmtInt, (r) => m(r)?.sent),
  lowerShare('late sends (% of planned)', 'publish', publishInvalid, (r) => share(m(r)?.lateSends, m(r)?.planned)),
  lowerShare('missed sends (% of planned)', 'publish', publishInvalid, (r) => share(m(r)?.missedSends, m(r)?.planned)),
  lowerShare('unsent (% of planned)', 'publish', publishInvalid, (r) => share(m(r)?.unsent, m(r)?.planned)),
  lowerShare('unconfirmed (% of sent)', 'publish', publishInvalid, (r) => share(m(r)?.unconfirmed, m(r)?.sent)),
  context('in-flight window', 'publish', fmtInt, (r) => m(r)?.inflightWindow),
  context('messages expected', 'delivery', fmtInt, (r) => m(r)?.expected),
  context('messages received', 'delivery', fmtInt, (r) => m(r)?.received),
  lowerShare('lost (% of expected)', 'delivery', deliveryInvalid, (r) => share(m(r)?.lost, m(r)?.expected)),
  // Of lost, not behind a later delivery (metrics/tail.ts): maybe still queued when the drain ended.
  context('of lost, at the tail', 'delivery', fmtInt, (r) => m(r)?.lostAtTail),
  lowerShare('duplicated (% of expected)', 'delivery', deliveryInvalid, (r) => share(m(r)?.duplicated, m(r)?.expected)),
  lowerShare('out of order (% of expected)', 'delivery', deliveryInvalid, (r) => share(m(r)?.outOfOrder, m(r)?.expected)),
  ...qosRows('0'),
  ...qosRows('1'),
  ...qosRows('2'),
  {
    label: 'connection failures (% of attempted)',
    group: 'connections',
    better: 'lower',
    format: fmtShare,
    invalid: runInvalid,
    read: (r) => share(r.summary?.connections?.failed, r.summary?.connections?.attempted),
  },
  context('subscriptions refused', 'connections', fmtInt, (r) => r.summary?.connections?.subscribeFailed),
  text('status', (r) => (typeof r.status === 'string' ? r.status : undefined)),
  text('delivery verdicts', deliveryVerdicts),
  text('thresholds', thresholdVerdict),
  text('generator saturated', (r) => (typeof r.generator?.saturated === 'boolean' ? (r.generator.saturated ? 'yes' : 'no') : undefined)),
  text('broker back-pressure', (r) => (m(r)?.planned === undefined ? undefined : r.summary.backPressure ? 'yes' : 'no')),
  // The broker's own figures (results.broker): shown when some run watched the broker.
  ...BROKER_COMPARE_ROWS,
];
