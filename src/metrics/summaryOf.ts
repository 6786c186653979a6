/**
 * The summary of a run: a view of its total measurement (measurement.ts), computed here and only here, for a
 * run in one process and for segments added up by `mqbench merge` alike. Loss is judged on the totals
 * (lost = expected − unique received), percentiles come from the added histograms, verdicts from the
 * per-QoS counters, rates from the counts inside the measured window.
 */
import { backPressureOf, expectedDeliveries, publishAccounting, writtenMessages } from './accounting.js';
import { capabilitiesOf, withCapabilities } from './capabilities.js';
import { summarize } from './histogram.js';
import { HISTOGRAM_KEYS, type HistogramKey } from './histogramKeys.js';
import type { Measurement } from './measurement.js';
import { deliveryByQos, publishVerdict } from './qosVerdict.js';
import type { LatencySummary, ProbedCapability, Summary } from './summary.js';
import type { Counters } from './counterFields.js';
import { willsOf, willVerdict } from './wills.js';

/** `durationSec`: the measured window (rates are its in-window counts over it); `probed`: the broker probe's findings. */
export function summaryOf(total: Measurement, durationSec: number, probed: readonly ProbedCapability[] = []): Summary {
  const m = total.counters;
  const unique = m.received - m.duplicated;
  const latencyMs = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, summarize(total.histograms[k])])) as Record<HistogramKey, LatencySummary>;
  const expected = expectedDeliveries(m);
  const delivery = deliveryByQos(m);
  const messages: Summary['messages'] = {
    sent: writtenMessages(m),
    acked: m.acked,
    received: m.received,
    expected,
    lost: Math.max(0, expected - unique),
    duplicated: m.duplicated,
    outOfOrder: m.outOfOrder,
    lateSends: m.lateSends,
    missedSends: m.missedSends,
    unexpected: m.unexpected,
    retainedExpected: m.retainedExpected,
    retainedReceived: m.retainedReceived,
    responsesSent: m.responsesSent,
    responsesReceived: m.responsesReceived,
    publishErrors: m.publishErrors,
    foreign: m.foreign,
    notOffered: m.notOffered,
    retainedNotOffered: m.retainedNotOffered,
    notEntitled: m.notEntitled,
    awayAtEnd: m.awayAtEnd,
    extraCopies: m.extraCopies,
    unverifiable: m.unverifiable,
    ...(m.receivedNoHeader > 0 ? { receivedNoHeader: m.receivedNoHeader } : {}),
    ...(m.otherRuns > 0 ? { otherRuns: m.otherRuns } : {}),
    ...publishAccounting(m, total.inflightWindow),
  };
  const publishing = publishVerdict(messages, delivery.byQos);
  const backPressure = backPressureOf(messages, latencyMs.unsentWait);
  const wills = willsOf(m);
  if (wills) delivery.verdicts.push(willVerdict(wills));
  return {
    connections: {
      attempted: m.connAttempted,
      succeeded: m.connSucceeded,
      failed: m.connFailed,
      lost: m.connLost,
      reconnected: m.reconnected,
      reconnectAttempts: m.reconnectAttempts,
      dropped: m.dropped,
      droppedBack: m.droppedBack,
      subscribeFailed: m.subscribeFailed,
      ...churnOf(m),
      errors: { ...total.connectErrors },
    },
    messages,
    throughput: {
      sentPerSec: durationSec > 0 ? m.sentInWindow / durationSec : 0,
      receivedPerSec: durationSec > 0 ? m.receivedInWindow / durationSec : 0,
    },
    latencyMs,
    ...withCapabilities({ byQos: delivery.byQos, verdicts: publishing ? [publishing, ...delivery.verdicts] : delivery.verdicts }, capabilitiesOf(m, probed)),
    ...(backPressure ? { backPressure } : {}),
    ...(wills ? { wills } : {}),
  };
}

/** Churn and session recovery counts, only when there were any. */
function churnOf(m: Counters): Partial<Summary['connections']> {
  return {
    ...(m.churned + m.churnedBack > 0 ? { churned: m.churned, churnedBack: m.churnedBack } : {}),
    ...(m.sessionsResumed + m.sessionsLost > 0 ? { sessionsResumed: m.sessionsResumed, sessionsLost: m.sessionsLost } : {}),
  };
}
