/**
 * From readings to the run's seconds. Pure.
 *
 * Gauges belong to the second they were read in; counters become rates between consecutive readings of
 * the same source (a counter that went down means the broker restarted: no rate across it), given to each
 * second their span covers (a 2 s $SYS period fills two seconds with the same average). Seconds are the
 * caller's `intervalOf` (epoch ms → interval t). Several values for one field, source and second are
 * averaged; across sources, each field comes from the first source (observer order: pid, prometheus,
 * $SYS) that has it.
 */
import type { CounterName, GaugeName, IntervalBroker, IntervalField, Reading } from './types.js';

/** IntervalBroker plus what is only needed to derive it. */
type Values = IntervalBroker & { hostCpus?: number };

const GAUGES: [GaugeName, keyof Values][] = [
  ['rssBytes', 'rssBytes'],
  ['threads', 'threads'],
  ['fds', 'fds'],
  ['connections', 'connections'],
  ['heapBytes', 'heapBytes'],
  ['hostCpus', 'hostCpus'],
  ['hostCpuPercent', 'hostCpuPercent'],
  ['hostMemUsedBytes', 'hostMemUsedBytes'],
];

const RATES: [CounterName, IntervalField][] = [
  ['cpuSeconds', 'cpuCores'],
  ['messagesReceived', 'receivedPerSec'],
  ['bytesReceived', 'bytesReceivedPerSec'],
  ['bytesSent', 'bytesSentPerSec'],
  ['diskReadBytes', 'diskReadBytesPerSec'],
  ['diskWriteBytes', 'diskWriteBytesPerSec'],
];

/** Increase of a counter between two readings; null when either lacks it or it went down (restart). */
export function counterDelta(a: Reading, b: Reading, name: CounterName): number | null {
  const x = a.counters[name];
  const y = b.counters[name];
  return x === undefined || y === undefined || y < x ? null : y - x;
}

function gaugesOf(r: Reading): Values {
  const v: Values = {};
  for (const [from, to] of GAUGES) if (r.gauges[from] !== undefined) (v as Record<string, number>)[to] = r.gauges[from]!;
  if (r.extra && Object.keys(r.extra).length > 0) v.extra = { ...r.extra };
  return v;
}

function ratesBetween(a: Reading, b: Reading, v: Values): void {
  const sec = (b.atMs - a.atMs) / 1000;
  if (sec <= 0) return;
  // Read as a gauge, but it is the busiest thread's rate since the previous reading: it goes with the rates.
  if (b.gauges.maxThreadCpuCores !== undefined) v.maxThreadCpuCores = b.gauges.maxThreadCpuCores;
  if (b.gauges.maxThreadDemandCores !== undefined) v.maxThreadDemandCores = b.gauges.maxThreadDemandCores;
  for (const [from, to] of RATES) {
    const d = counterDelta(a, b, from);
    if (d !== null) v[to] = d / sec;
  }
  // The broker counts its $SYS deliveries to the observer as sent: not the run's traffic.
  const sent = counterDelta(a, b, 'messagesSent');
  if (sent !== null) v.sentPerSec = (sent - (counterDelta(a, b, 'observerDeliveries') ?? 0)) / sec;
  const busy = counterDelta(a, b, 'hostCpuBusySeconds');
  const cpus = b.gauges.hostCpus;
  if (busy !== null && cpus) v.hostCpuPercent = (busy / sec / cpus) * 100;
  for (const [name, y] of Object.entries(b.extraCounters ?? {})) {
    const x = a.extraCounters?.[name];
    if (x !== undefined && y >= x) (v.extra ??= {})[`${name}PerSec`] = (y - x) / sec;
  }
}

/** Averages the values given to one second (field by field, over the entries that have the field). */
function average(list: Values[]): Values {
  if (list.length === 1) return list[0];
  const sums: Record<string, [number, number]> = {};
  const extra: Record<string, [number, number]> = {};
  const add = (into: Record<string, [number, number]>, k: string, x: number) => {
    const s = (into[k] ??= [0, 0]);
    s[0] += x;
    s[1]++;
  };
  for (const v of list) {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'number') add(sums, k, x);
    for (const [k, x] of Object.entries(v.extra ?? {})) add(extra, k, x);
  }
  const out: Record<string, unknown> = {};
  for (const [k, [s, n]] of Object.entries(sums)) out[k] = s / n;
  if (Object.keys(extra).length > 0) out.extra = Object.fromEntries(Object.entries(extra).map(([k, [s, n]]) => [k, s / n]));
  return out;
}

/**
 * One source's readings → values per interval t: a reading's gauges go to the second it was read in; a rate
 * goes to each second its span covers (the middle of each 1 s slice of the span).
 */
export function sourceIntervals(readings: Reading[], intervalOf: (epochMs: number) => number): Map<number, Values> {
  const byT = new Map<number, Values[]>();
  const put = (t: number, v: Values) => {
    const list = byT.get(t);
    if (list) list.push(v);
    else byT.set(t, [v]);
  };
  readings.forEach((r, i) => {
    const g = gaugesOf(r);
    if (Object.keys(g).length > 0) put(intervalOf(r.atMs), g);
    if (i === 0) return;
    const prev = readings[i - 1];
    const rates: Values = {};
    ratesBetween(prev, r, rates);
    if (Object.keys(rates).length === 0) return;
    const span = r.atMs - prev.atMs;
    const slots = Math.max(1, Math.round(span / 1000));
    const seconds = new Set<number>();
    for (let k = 0; k < slots; k++) seconds.add(intervalOf(prev.atMs + ((k + 0.5) * span) / slots));
    for (const t of seconds) put(t, rates);
  });
  const merged = [...byT].map(([t, list]) => [t, average(list)] as const);
  return new Map(merged.sort((a, b) => a[0] - b[0]));
}

/** Every source's values merged per second (first source wins per field), sorted by t; cpuPercentOfHost added. */
export function mergeIntervals(perSource: Map<number, Values>[]): ({ t: number } & IntervalBroker)[] {
  const ts = [...new Set(perSource.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  return ts.map((t) => {
    const merged: Values = {};
    for (const m of perSource) {
      const v = m.get(t);
      if (!v) continue;
      for (const [k, x] of Object.entries(v))
        if (k !== 'extra' && (merged as Record<string, unknown>)[k] === undefined) (merged as Record<string, unknown>)[k] = x;
      if (v.extra) merged.extra = { ...v.extra, ...merged.extra };
    }
    const { hostCpus, ...row } = merged;
    if (row.cpuCores !== undefined && hostCpus) row.cpuPercentOfHost = (row.cpuCores / hostCpus) * 100;
    return { t, ...row };
  });
}
