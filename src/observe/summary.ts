/**
 * BrokerObservation + what the run knows → the results fields of DESIGN.md §6 additions: `broker`
 * and `intervals[i].broker`. Pure.
 */
import { cpuPerMessages, crossCheck, memoryPerConnection } from './costs.js';
import { counterDelta } from './derive.js';
import type {
  AvgMax,
  BrokerObservation,
  BrokerResults,
  CounterName,
  CpuPerMessages,
  IntervalBroker,
  IntervalField,
  SourceKind,
  TimedReading,
} from './types.js';
import { increaseOver, startOfInterval, windowEdges } from './window.js';

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
  'cpuCores',
  'maxThreadCpuCores',
  'maxThreadDemandCores',
  'cpuPercentOfHost',
  'rssBytes',
  'threads',
  'fds',
  'connections',
  'heapBytes',
  'receivedPerSec',
  'sentPerSec',
  'bytesReceivedPerSec',
  'bytesSentPerSec',
  'diskReadBytesPerSec',
  'diskWriteBytesPerSec',
  'hostCpuPercent',
  'hostMemUsedBytes',
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
    const gaps = rs
      .slice(1)
      .map((r, j) => r.atMs - rs[j].atMs)
      .sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)] / 1000;
    if (median > 1.5)
      notes.push(`${obs.sources[i].target}: values arrive every ~${median.toFixed(1)} s, so its per-second values are ${median.toFixed(1)}-second averages`);
  });
  return notes;
}

/** [start, end) of a window of interval seconds in epoch ms; null before any reading. */
function windowMs(obs: BrokerObservation, w: { fromT: number; toT: number }): [number, number] | null {
  const near = obs.readings.flat()[0];
  if (!near) return null;
  return [startOfInterval(obs.intervalOf, w.fromT, near), startOfInterval(obs.intervalOf, w.toT + 1, near)];
}

function resources(obs: BrokerObservation, rows: BrokerObservation['intervals'], window: RunFacts['measured']): BrokerResults['resources'] {
  const out: BrokerResults['resources'] = { window: { ...window, seconds: rows.length } };
  for (const f of FIELDS) {
    const s = avgMax(rows.flatMap((r) => (r[f] === undefined ? [] : [r[f]])));
    if (s) out[f] = s;
  }
  const extraNames = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  if (extraNames.length > 0)
    out.extra = Object.fromEntries(extraNames.map((n) => [n, avgMax(rows.flatMap((r) => (r.extra?.[n] === undefined ? [] : [r.extra[n]])))!]));
  const ms = windowMs(obs, window);
  for (const counter of ['diskReadBytes', 'diskWriteBytes'] as const) {
    const src = firstWith(obs, counter);
    const d = src && ms && increaseOver(src.readings, counter, ms[0], ms[1]);
    if (d) out[counter] = Math.round(d.delta);
  }
  return out;
}

/**
 * CPU per 1,000 messages. With the broker's own counters: its messages between the readings just outside the
 * measured window (exact counts; $SYS deliveries to the observer taken out) and the CPU over exactly that span
 * (interpolated between the CPU source's own readings). Without them: mqbench's counts over `counted` and the
 * CPU over those seconds.
 */
function cpuCost(obs: BrokerObservation, facts: RunFacts, notes: string[]): CpuPerMessages | null {
  const cpuSrc = firstWith(obs, 'cpuSeconds');
  if (!cpuSrc) {
    notes.push("CPU per 1,000 messages: no source gives the broker process's CPU time");
    return null;
  }
  const msgSrc = obs.readings.find((rs) => rs.some((r) => r.counters.messagesReceived !== undefined && r.counters.messagesSent !== undefined));
  const edges = msgSrc && windowEdges(msgSrc, facts.measured.fromT, facts.measured.toT, 'messagesReceived');
  let span: [number, number] | null;
  let messages: { in: number; out: number } | null = null;
  if (edges) {
    const [a, b] = edges;
    const inn = counterDelta(a, b, 'messagesReceived');
    const out = counterDelta(a, b, 'messagesSent');
    if (inn !== null && out !== null) messages = { in: inn, out: out - (counterDelta(a, b, 'observerDeliveries') ?? 0) };
    span = [a.atMs, b.atMs];
  } else {
    span = windowMs(obs, facts.counted ?? facts.measured);
  }
  const cpu = span && increaseOver(cpuSrc.readings, 'cpuSeconds', span[0], span[1]);
  if (!span || !cpu || (edges && !messages)) {
    notes.push('CPU per 1,000 messages: the CPU or message readings do not cover the window (or the broker restarted in it)');
    return null;
  }
  const spanSec = (span[1] - span[0]) / 1000;
  if (messages) return cpuPerMessages(cpu, { ...messages, spanSec }, 'broker');
  return cpuPerMessages(cpu, { in: facts.mqbench.sent, out: facts.mqbench.received, spanSec }, 'mqbench');
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
  if (!counters) notes.push("cross-check of counts: no source gave the broker's received and sent message counters around the window");

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
