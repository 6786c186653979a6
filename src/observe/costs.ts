/**
 * Derived costs and the cross-check of counts. Pure: table-tested in costs.test.ts.
 */
import { counterDelta } from './derive.js';
import { windowEdges, type Increase } from './window.js';
import type { CountCrossCheck, CpuPerMessages, MemoryPerConnection, SourceKind, TimedReading } from './types.js';

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
  if (points.length < MIN_FIT_POINTS)
    return `memory per connection needs at least ${MIN_FIT_POINTS} seconds of the connect phase with RSS readings (had ${points.length})`;
  const xs = points.map((p) => p.connections);
  const fit = linearFit(
    xs,
    points.map((p) => p.rssBytes),
  );
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

/**
 * Broker CPU-ms per 1,000 messages in (received by the broker) and out (sent by it). CPU and messages may be
 * read by different sources at different moments, so each is made a rate over its own span first.
 */
export function cpuPerMessages(cpu: Increase, messages: { in: number; out: number; spanSec: number }, basis: CpuPerMessages['basis']): CpuPerMessages | null {
  if (cpu.spanSec <= 0 || messages.spanSec <= 0) return null;
  const cpuMsPerSec = (cpu.delta * 1000) / cpu.spanSec;
  const per1k = (n: number) => (n > 0 ? (cpuMsPerSec / (n / messages.spanSec)) * 1000 : null);
  return {
    in: per1k(messages.in),
    out: per1k(messages.out),
    cpuMs: cpu.delta * 1000,
    messagesIn: messages.in,
    messagesOut: messages.out,
    basis,
    seconds: cpu.spanSec,
  };
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
