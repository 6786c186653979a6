import { describeEnvironment } from '../shared/environment.js';
import type { RunOutcome } from '../coordinator/coordinator.js';
import { summarize } from './histogram.js';
import { deliveryByQos } from './qosVerdict.js';
import { HISTOGRAM_KEYS, type HistogramKey, type LatencySummary, type Results, type Summary } from './types.js';

export interface ResultsContext {
  mqbenchVersion: string;
  /** The resolved scenario with secrets redacted. */
  scenario: Record<string, unknown> & { name: string };
  /** Target URL without credentials. */
  targetUrl: string;
  embedded: boolean;
  brokerVersion?: string;
}

/** A generator thread busier than this while sends fall behind means mqbench, not the broker, was the limit. */
const SATURATED_BUSY_PERCENT = 90;
const SATURATED_LOOP_DELAY_MS = 100;

export function buildSummary(o: RunOutcome, durationSec: number): Summary {
  const m = o.agg.measured;
  const unique = m.received - m.duplicated;
  const latencyMs = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, summarize(o.agg.histograms[k])])) as Record<HistogramKey, LatencySummary>;
  return {
    connections: { attempted: m.connAttempted, succeeded: m.connSucceeded, failed: m.connFailed, lost: m.connLost, subscribeFailed: m.subscribeFailed, errors: { ...o.agg.connectErrors } },
    messages: {
      sent: m.sent, acked: m.acked, received: m.received, expected: m.expected,
      lost: Math.max(0, m.expected - unique), duplicated: m.duplicated, outOfOrder: m.outOfOrder,
      lateSends: m.lateSends, publishErrors: m.publishErrors, foreign: m.foreign,
    },
    throughput: {
      sentPerSec: durationSec > 0 ? m.sentInWindow / durationSec : 0,
      receivedPerSec: durationSec > 0 ? m.receivedInWindow / durationSec : 0,
    },
    latencyMs,
    ...deliveryByQos(m),
  };
}

export function buildResults(o: RunOutcome, ctx: ResultsContext): Results {
  const durationSec = o.measureFrom ? Math.max(0, (o.measureEnd - o.measureFrom) / 1000) : 0;
  const summary = buildSummary(o, durationSec);
  const behind = summary.messages.sent > 0 && summary.messages.lateSends / summary.messages.sent > 0.01;
  const busy = o.agg.maxBusyPercent >= SATURATED_BUSY_PERCENT;
  const stalled = o.agg.maxEventLoopDelayMs >= SATURATED_LOOP_DELAY_MS;
  const saturated = behind && (busy || stalled);
  return {
    schemaVersion: 1,
    status: o.status,
    ...(o.reason && o.status !== 'complete' ? { statusReason: o.reason } : {}),
    mqbenchVersion: ctx.mqbenchVersion,
    scenario: ctx.scenario,
    target: { url: ctx.targetUrl, embedded: ctx.embedded, ...(ctx.brokerVersion ? { brokerVersion: ctx.brokerVersion } : {}) },
    startedAt: o.startedAt.toISOString(),
    durationSec,
    summary,
    intervals: o.agg.intervals(),
    generator: {
      workers: o.workers,
      maxEventLoopDelayMs: round3(o.agg.maxEventLoopDelayMs),
      cpuPercentMax: Math.round(o.agg.maxBusyPercent),
      saturated,
      ...(saturated
        ? { saturatedReason: `${pct(summary.messages.lateSends, summary.messages.sent)} of sends were late while a worker was ${busy ? `${Math.round(o.agg.maxBusyPercent)}% busy` : `stalled ${Math.round(o.agg.maxEventLoopDelayMs)} ms`}` }
        : {}),
    },
    environment: describeEnvironment(),
    histograms: o.agg.encodedHistograms(),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
