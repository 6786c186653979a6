/**
 * The metrics catalogue: one entry per counter of counterFields.ts, saying how it merges (threads,
 * `--processes` and `mqbench merge` all add measurements with this rule), which figures of a results summary
 * it feeds (dotted paths into `summary`; summaryOf.ts computes them), and its Prometheus name and help text
 * when it is exported live. `satisfies Record<keyof Counters, CounterSpec>` makes a counter without an entry
 * (or an entry without a counter) a compile error, so no counter can silently never merge.
 *
 * The summary's figures themselves (threshold names, units, table labels) and the latency histograms are
 * catalogued in summaryCatalogue.ts.
 */
import type { Counters } from './counterFields.js';

/** How two values of a counter combine: counts add up; a level (the largest in effect) takes the larger. */
export type MergeRule = 'sum' | 'max';

export interface PrometheusCounter {
  /** Without the `mqbench_` prefix and the `_total` suffix. */
  name: string;
  help: string;
}

export interface CounterSpec {
  merge: MergeRule;
  /** The summary figures this counter feeds, as dotted paths (`messages.sent`, `byQos.1.expected`). */
  summary: readonly string[];
  /** Why a counter feeds no summary figure (required when `summary` is empty). */
  notInSummary?: string;
  /** Exported on the live Prometheus endpoint (from the counters of all phases); null: not exported. */
  prometheus: PrometheusCounter | null;
}

const sum = (summary: string[], prometheus?: [string, string]): CounterSpec => ({
  merge: 'sum',
  summary,
  prometheus: prometheus ? { name: prometheus[0], help: prometheus[1] } : null,
});

/** Per delivery QoS class: the same figure of `byQos.<q>`. */
const byQos = (q: 0 | 1 | 2, figure: string, ...more: string[]): CounterSpec => sum([`byQos.${q}.${figure}`, ...more]);

export const COUNTER_CATALOGUE = {
  connAttempted: sum(['connections.attempted'], ['connections_attempted', 'Connection attempts (first connects).']),
  connSucceeded: sum(['connections.succeeded'], ['connections_succeeded', 'Connections that got a successful CONNACK.']),
  connFailed: sum(['connections.failed'], ['connections_failed', 'Connection attempts that failed (refused, timed out, unreachable).']),
  connLost: sum(['connections.lost'], ['connections_lost', 'Established connections that closed unexpectedly.']),
  reconnectAttempts: sum(['connections.reconnectAttempts']),
  reconnected: sum(['connections.reconnected'], ['connections_reconnected', 'Lost connections that came back.']),
  dropped: sum(['connections.dropped']),
  droppedBack: sum(['connections.droppedBack']),
  subscribeFailed: sum(['connections.subscribeFailed']),
  sent: sum(['messages.sent'], ['messages_sent', 'Messages published.']),
  acked: sum(['messages.acked', 'messages.accepted'], ['messages_acked', 'QoS 1 PUBACKs and QoS 2 PUBCOMPs received.']),
  received: sum(['messages.received'], ['messages_received', "Deliveries of this run's messages (duplicates included)."]),
  expected: {
    ...sum([], ['messages_expected', 'Deliveries the subscriptions promise for the messages sent.']),
    notInSummary: 'messages.expected is made of the per-QoS counts net of withdrawn deliveries; this total drives the per-second rows and Prometheus',
  },
  duplicated: sum(['messages.duplicated'], ['messages_duplicated', 'Deliveries of a message the subscriber already had.']),
  outOfOrder: sum(['messages.outOfOrder'], ['messages_out_of_order', 'Deliveries older than one already received on the same stream.']),
  lateSends: sum(['messages.lateSends'], ['late_sends', 'Sends that left more than 2 ms after their scheduled time.']),
  publishErrors: sum(['messages.publishErrors'], ['publish_errors', 'Publishes that could not be handed to the client (not connected, write error).']),
  foreign: sum(['messages.foreign']),
  missedSends: sum(['messages.missedSends'], ['missed_sends', 'Scheduled sends never made (the generator stayed too far behind).']),
  unexpected: sum(['messages.unexpected']),
  responsesSent: sum(['messages.responsesSent']),
  responsesReceived: sum(['messages.responsesReceived']),
  retainedExpected: sum(['messages.retainedExpected']),
  retainedReceived: sum(['messages.retainedReceived']),
  sentInWindow: sum(['throughput.sentPerSec']),
  receivedInWindow: sum(['throughput.receivedPerSec']),
  q0Expected: byQos(0, 'expected', 'messages.expected'),
  q1Expected: byQos(1, 'expected', 'messages.expected'),
  q2Expected: byQos(2, 'expected', 'messages.expected'),
  q0Unique: byQos(0, 'received'),
  q1Unique: byQos(1, 'received'),
  q2Unique: byQos(2, 'received'),
  q0Duplicated: byQos(0, 'duplicated'),
  q1Duplicated: byQos(1, 'duplicated'),
  q2Duplicated: byQos(2, 'duplicated'),
  q0OutOfOrder: byQos(0, 'outOfOrder'),
  q1OutOfOrder: byQos(1, 'outOfOrder'),
  q2OutOfOrder: byQos(2, 'outOfOrder'),
  planned: sum(['messages.planned']),
  unsent: sum(['messages.unsent']),
  notWritten: sum(['messages.unsent', 'messages.sent']),
  waitingAtEnd: sum(['messages.waitingAtEnd']),
  waitedSends: sum(['messages.waitedSends']),
  unconfirmed: sum(['messages.unconfirmed']),
  deliveredUnacked: sum(['messages.accepted']),
  refused: sum(['messages.refused']),
  q0Unsent: byQos(0, 'unsent'),
  q1Unsent: byQos(1, 'unsent'),
  q2Unsent: byQos(2, 'unsent'),
  q0Unconfirmed: byQos(0, 'unconfirmed'),
  q1Unconfirmed: byQos(1, 'unconfirmed'),
  q2Unconfirmed: byQos(2, 'unconfirmed'),
  q0Refused: byQos(0, 'refused'),
  q1Refused: byQos(1, 'refused'),
  q2Refused: byQos(2, 'refused'),
  sub2to1: sum(['capabilities.subscriptionsDowngraded.2→1']),
  sub2to0: sum(['capabilities.subscriptionsDowngraded.2→0']),
  sub1to0: sum(['capabilities.subscriptionsDowngraded.1→0']),
  subRefusedShared: sum(['capabilities.sharedRefused']),
  pubQos2AsQos1: sum(['capabilities.qos2PublishedAsQos1']),
  arrivedBelowQos: sum(['capabilities.deliveriesDowngraded']),
  notOffered: sum(['messages.notOffered']),
  retainedNotOffered: sum(['messages.retainedNotOffered']),
  notEntitled: sum(['messages.notEntitled']),
  q0NotEntitled: byQos(0, 'notEntitled'),
  q1NotEntitled: byQos(1, 'notEntitled'),
  q2NotEntitled: byQos(2, 'notEntitled'),
  awayAtEnd: sum(['messages.awayAtEnd']),
  q0AwayAtEnd: byQos(0, 'awayAtEnd'),
  q1AwayAtEnd: byQos(1, 'awayAtEnd'),
  q2AwayAtEnd: byQos(2, 'awayAtEnd'),
  extraCopies: sum(['messages.extraCopies']),
  unverifiable: sum(['messages.unverifiable']),
  receivedNoHeader: sum(['messages.receivedNoHeader']),
  otherRuns: sum(['messages.otherRuns']),
  willsExpected: sum(['wills.expected']),
  willsExpectedQos0: sum(['wills.expectedQos0']),
  willsReceived: sum(['wills.received']),
  churned: sum(['connections.churned']),
  churnedBack: sum(['connections.churnedBack']),
  sessionsResumed: sum(['connections.sessionsResumed']),
  sessionsLost: sum(['connections.sessionsLost']),
} satisfies Record<keyof Counters, CounterSpec>;

export type CounterKey = keyof typeof COUNTER_CATALOGUE;

/** Every counter, in catalogue order. */
export const COUNTER_KEYS: readonly (keyof Counters)[] = Object.keys(COUNTER_CATALOGUE) as (keyof Counters)[];

/** The counters exported on the Prometheus endpoint, with their names and help texts. */
export const PROMETHEUS_COUNTERS: readonly (PrometheusCounter & { key: keyof Counters })[] = COUNTER_KEYS.flatMap((key) => {
  const p: PrometheusCounter | null = COUNTER_CATALOGUE[key].prometheus;
  return p ? [{ key, ...p }] : [];
});
