/**
 * BrokerObservation + what the run knows → the results fields of DESIGN.md §6 additions: `broker`
 * and `intervals[i].broker`. Pure.
 */
import { counterDelta } from './derive.js';
import { cpuPerMessages, crossCheck, memoryPerConnection, windowDelta, windowEdges, type Increase } from './costs.js';
import type { AvgMax, BrokerObservation, BrokerResults, CounterName, CpuPerMessages, IntervalBroker, IntervalField, SourceKind, TimedReading } from './types.js';

export interface RunFacts {
  /** The measured window in interval seconds, both ends included: resources and costs are taken over it. */
  measured: { fromT: number; toT: number };
  /** mqbench's sent and received over `counted` (the measured window when `counted` is not given). */
  mqbench: { sent: number; received: number };
  /**
   * The window mqbench's counts cover, e.g. the whole run (first to last second) with the all-phase counters:
   * the broker's counters are read at the readings just outside it, so a window with quiet edges compares best.
   */
  counted?: { fromT: number; toT: number };
  /** Open connections per second of the connect phase (IntervalRow t and connections). */
  connectPhase?: { t: number; connections: number }[];
}

const FIELDS: IntervalField[] = [
  'cpuCores', 'maxThreadCpuCores', 'cpuPercentOfHost', 'rssBytes', 'threads', 'fds', 'connections', 'heapBytes',
  'receivedPerSec', 'sentPerSec', 'bytesReceivedPerSec', 'bytesSentPerSec', 'diskReadBytesPerSec', 'diskWriteBytesPerSec',
  'hostCpuPercent', 'hostMemUsedBytes',
];

function avgMax(values: number[]): AvgMax | undefined {
  if (values.length === 0) return undefined;
  return { avg: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) };
}

/** The first source (in observer order) whose readings carry `counter`. */
function firstWith(obs: BrokerObservation, counter: CounterName): { readings: TimedReading[]; kind: SourceKind } | null {
  const i = obs.readings.findIndex((rs) => rs.some((r) => r.counters[counter] !== undefined));
  return i < 0 ? null : { readings: obs.readings[i], kind: obs.sources[i].kind };
}

function cadenceNotes(obs: BrokerObservation): string[] {
  const notes: string[] = [];
  obs.readings.forEach((rs, i) => {
    if (rs.length < 3) return;
    const gaps = rs.slice(1).map((r, j) => r.atMs - rs[j].atMs).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)] / 1000;
    if (median > 1.5) notes.push(`${obs.sources[i].target}: values arrive every ~${median.toFixed(1)} s, so its per-second values are ${median.toFixed(1)}-second averages`);
  });
  return notes;
}

function resources(obs: BrokerObservation, rows: BrokerObservation['intervals'], window: RunFacts['measured']): BrokerResults['resources'] {
  const out: BrokerResults['resources'] = { window: { ...window, seconds: rows.length } };
  for (const f of FIELDS) {
    const s = avgMax(rows.flatMap((r) => (r[f] === undefined ? [] : [r[f]!])));
    if (s) out[f] = s;
  }
  const extraNames = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  if (extraNames.length > 0) out.extra = Object.fromEntries(extraNames.map((n) => [n, avgMax(rows.flatMap((r) => (r.extra?.[n] === undefined ? [] : [r.extra[n]])))!]));
  for (const [counter, field] of [['diskReadBytes', 'diskReadBytes'], ['diskWriteBytes', 'diskWriteBytes']] as const) {
    const src = firstWith(obs, counter);
    const d = src && windowDelta(src.readings, window.fromT, window.toT, counter);
    if (d) out[field] = d.delta;
  }
  return out;
}

/** Messages in/out over the measured window from the broker's own counters ($SYS deliveries to the observer taken out). */
function brokerMessages(obs: BrokerObservation, w: RunFacts['measured']): { in: number; out: number; spanSec: number } | null {
  const src = firstWith(obs, 'messagesReceived');
  const e = src && windowEdges(src.readings, w.fromT, w.toT, 'messagesReceived');
  if (!e) return null;
  const inn = counterDelta(e[0], e[1], 'messagesReceived');
  const out = counterDelta(e[0], e[1], 'messagesSent');
  if (inn === null || out === null) return null;
  return { in: inn, out: out - (counterDelta(e[0], e[1], 'observerDeliveries') ?? 0), spanSec: (e[1].atMs - e[0].atMs) / 1000 };
}

function cpuCost(obs: BrokerObservation, facts: RunFacts, notes: string[]): CpuPerMessages | null {
  const cpuSrc = firstWith(obs, 'cpuSeconds');
  if (!cpuSrc) {
    notes.push('CPU per 1,000 messages: no source gives the broker process\'s CPU time');
    return null;
  }
  const fromBroker = brokerMessages(obs, facts.measured);
  const w = fromBroker ? facts.measured : (facts.counted ?? facts.measured);
  const cpu: Increase | null = windowDelta(cpuSrc.readings, w.fromT, w.toT, 'cpuSeconds');
  if (!cpu) {
    notes.push('CPU per 1,000 messages: not enough CPU readings around the window');
    return null;
  }
  if (fromBroker) return cpuPerMessages(cpu, fromBroker, 'broker');
  const mq = { in: facts.mqbench.sent, out: facts.mqbench.received, spanSec: w.toT - w.fromT + 1 };
  return cpuPerMessages(cpu, mq, 'mqbench');
}

export function brokerResults(obs: BrokerObservation, facts: RunFacts): { broker: BrokerResults; intervals: Map<number, IntervalBroker> } {
  const notes = [...obs.notes, ...cadenceNotes(obs)];
  const { fromT, toT } = facts.measured;
  const inWindow = obs.intervals.filter((r) => r.t >= fromT && r.t <= toT);

  let bytesPerConnection: BrokerResults['costs']['bytesPerConnection'] = null;
  if (facts.connectPhase) {
    const rss = new Map(obs.intervals.flatMap((r) => (r.rssBytes === undefined ? [] : [[r.t, r.rssBytes] as const])));
    const points = facts.connectPhase.flatMap((c) => (rss.has(c.t) ? [{ connections: c.connections, rssBytes: rss.get(c.t)! }] : []));
    const fit = memoryPerConnection(points);
    if (typeof fit === 'string') notes.push(fit);
    else bytesPerConnection = fit;
  }

  const msgSrc = firstWith(obs, 'messagesReceived');
  const counters = msgSrc ? crossCheck(msgSrc.readings, msgSrc.kind, facts.counted ?? facts.measured, facts.mqbench) : null;
  if (!counters) notes.push('cross-check of counts: no source gave the broker\'s received and sent message counters around the window');

  const broker: BrokerResults = {
    sources: obs.sources,
    resources: resources(obs, inWindow, facts.measured),
    costs: { cpuMsPer1kMessages: cpuCost(obs, facts, notes), bytesPerConnection },
    counters,
    notes,
  };
  const intervals = new Map(obs.intervals.map(({ t, ...row }) => [t, row]));
  return { broker, intervals };
}
