/**
 * Derived costs and the cross-check of counts. Pure: table-tested in costs.test.ts.
 */
import { counterDelta } from './derive.js';
import type { CounterName, CountCrossCheck, CpuPerMessages, MemoryPerConnection, SourceKind, TimedReading } from './types.js';

export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination: 1 when the points lie on the line; 1 too when y never changed (a flat line explains it). */
  r2: number;
}

/** Ordinary least squares of y on x; null with fewer than 2 points or no spread in x. */
export function linearFit(xs: number[], ys: number[]): LineFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] / n;
    my += ys[i] / n;
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const ssRes = syy - slope * sxy;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : Math.max(0, 1 - ssRes / syy) };
}

/** Fewest seconds of the connect phase a memory-per-connection slope is given for. */
export const MIN_FIT_POINTS = 3;

/**
 * Broker memory per connection: the slope of RSS against open connections over the connect phase's seconds.
 * Null (with the reason) when there are too few seconds or the connection count never changed.
 */
export function memoryPerConnection(points: { connections: number; rssBytes: number }[]): MemoryPerConnection | string {
  if (points.length < MIN_FIT_POINTS) return `memory per connection needs at least ${MIN_FIT_POINTS} seconds of the connect phase with RSS readings (had ${points.length})`;
  const xs = points.map((p) => p.connections);
  const fit = linearFit(xs, points.map((p) => p.rssBytes));
  if (!fit) return 'memory per connection: the number of open connections did not change during the connect phase';
  return {
    bytesPerConnection: fit.slope,
    interceptBytes: fit.intercept,
    points: points.length,
    r2: fit.r2,
    fromConnections: Math.min(...xs),
    toConnections: Math.max(...xs),
  };
}

/** A counter's increase over a span of time. */
export interface Increase {
  delta: number;
  spanSec: number;
  fromT: number;
  toT: number;
}

/**
 * Broker CPU-ms per 1,000 messages in (received by the broker) and out (sent by it). CPU and messages may be
 * read by different sources at different moments, so each is made a rate over its own span first.
 */
export function cpuPerMessages(cpu: Increase, messages: { in: number; out: number; spanSec: number }, basis: CpuPerMessages['basis']): CpuPerMessages | null {
  if (cpu.spanSec <= 0 || messages.spanSec <= 0) return null;
  const cpuMsPerSec = (cpu.delta * 1000) / cpu.spanSec;
  const per1k = (n: number) => (n > 0 ? (cpuMsPerSec / (n / messages.spanSec)) * 1000 : null);
  return { in: per1k(messages.in), out: per1k(messages.out), cpuMs: cpu.delta * 1000, messagesIn: messages.in, messagesOut: messages.out, basis, fromT: cpu.fromT, toT: cpu.toT };
}

/**
 * The two readings that bound a window of interval seconds [fromT, toT] for a counter: the last one
 * before the window (else the first inside it) and the first one after it (else the last inside it).
 */
export function windowEdges(readings: TimedReading[], fromT: number, toT: number, counter: CounterName): [TimedReading, TimedReading] | null {
  const has = readings.filter((r) => r.counters[counter] !== undefined);
  const before = has.filter((r) => r.t < fromT);
  const inside = has.filter((r) => r.t >= fromT && r.t <= toT);
  const after = has.filter((r) => r.t > toT);
  const start = before[before.length - 1] ?? inside[0];
  const end = after[0] ?? inside[inside.length - 1];
  return start && end && end !== start ? [start, end] : null;
}

/** Increase of a counter over a window; null without two bounding readings or across a restart. */
export function windowDelta(readings: TimedReading[], fromT: number, toT: number, counter: CounterName): Increase | null {
  const e = windowEdges(readings, fromT, toT, counter);
  if (!e) return null;
  const d = counterDelta(e[0], e[1], counter);
  return d === null ? null : { delta: d, spanSec: (e[1].atMs - e[0].atMs) / 1000, fromT: e[0].t, toT: e[1].t };
}

/** The broker's received/sent deltas over the window against mqbench's sent/received; null when the source lacks either counter. */
export function crossCheck(
  readings: TimedReading[],
  source: SourceKind,
  window: { fromT: number; toT: number },
  mqbench: { sent: number; received: number },
): CountCrossCheck | null {
  const edges = windowEdges(readings, window.fromT, window.toT, 'messagesReceived');
  if (!edges || edges[1].counters.messagesSent === undefined || edges[0].counters.messagesSent === undefined) return null;
  const [a, b] = edges;
  const receivedDelta = counterDelta(a, b, 'messagesReceived');
  const sentRaw = counterDelta(a, b, 'messagesSent');
  if (receivedDelta === null || sentRaw === null) return null;
  const own = counterDelta(a, b, 'observerDeliveries');
  const sentDelta = sentRaw - (own ?? 0);
  return {
    receivedDelta,
    sentDelta,
    mqbenchSent: mqbench.sent,
    mqbenchReceived: mqbench.received,
    difference: { received: receivedDelta - mqbench.sent, sent: sentDelta - mqbench.received },
    fromT: a.t,
    toT: b.t,
    source,
    ...(own !== null ? { observerDeliveries: own } : {}),
  };
}
