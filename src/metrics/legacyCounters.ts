/**
 * Segment results written before results files recorded their exact `counters` (measurement.ts): the counters
 * rebuilt from the summary, so such files still merge. Every count is read back exactly but two: the
 * in-window counts behind the rates are rate × window, rounded; and `messages.sent`/`unsent` already had the
 * never-written messages moved from one to the other (notWritten reads back as 0, which gives the same
 * figures). Per-QoS counts come from `byQos` (its `expected` is net of withdrawn deliveries: they are added
 * back, as the summary takes them out again), capability counts from `capabilities`.
 */
import { capabilityCounters } from './capabilities.js';
import { qosKey, type Counters } from './counterFields.js';
import { zeroCounters } from './counters.js';
import type { Summary } from './summary.js';

const n = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

export function countersFromSummary(s: Summary, durationSec: number): Counters {
  const c = zeroCounters();
  const conn = s.connections;
  const m = s.messages;
  Object.assign(c, {
    connAttempted: n(conn.attempted),
    connSucceeded: n(conn.succeeded),
    connFailed: n(conn.failed),
    connLost: n(conn.lost),
    reconnected: n(conn.reconnected),
    reconnectAttempts: n(conn.reconnectAttempts),
    dropped: n(conn.dropped),
    droppedBack: n(conn.droppedBack),
    subscribeFailed: n(conn.subscribeFailed),
    sent: n(m.sent),
    acked: n(m.acked),
    received: n(m.received),
    expected: n(m.expected),
    duplicated: n(m.duplicated),
    outOfOrder: n(m.outOfOrder),
    lateSends: n(m.lateSends),
    missedSends: n(m.missedSends),
    publishErrors: n(m.publishErrors),
    foreign: n(m.foreign),
    unexpected: n(m.unexpected),
    retainedExpected: n(m.retainedExpected),
    retainedReceived: n(m.retainedReceived),
    responsesSent: n(m.responsesSent),
    responsesReceived: n(m.responsesReceived),
    planned: n(m.planned),
    unsent: n(m.unsent),
    waitingAtEnd: n(m.waitingAtEnd),
    waitedSends: n(m.waitedSends),
    unconfirmed: n(m.unconfirmed),
    deliveredUnacked: Math.max(0, n(m.accepted) - n(m.acked)),
    refused: n(m.refused),
    notOffered: n(m.notOffered),
    retainedNotOffered: n(m.retainedNotOffered),
    notEntitled: n(m.notEntitled),
    awayAtEnd: n(m.awayAtEnd),
    extraCopies: n(m.extraCopies),
    unverifiable: n(m.unverifiable),
    receivedNoHeader: n(m.receivedNoHeader),
    otherRuns: n(m.otherRuns),
    churned: n(conn.churned),
    churnedBack: n(conn.churnedBack),
    sessionsResumed: n(conn.sessionsResumed),
    sessionsLost: n(conn.sessionsLost),
    willsExpected: n(s.wills?.expected),
    willsExpectedQos0: n(s.wills?.expectedQos0),
    willsReceived: n(s.wills?.received),
    sentInWindow: Math.round(n(s.throughput?.sentPerSec) * durationSec),
    receivedInWindow: Math.round(n(s.throughput?.receivedPerSec) * durationSec),
    ...capabilityCounters(s.capabilities),
  } satisfies Partial<Counters>);
  for (const q of [0, 1, 2] as const) {
    const d = s.byQos?.[String(q) as '0' | '1' | '2'];
    if (!d) continue;
    const withdrawn = { Unsent: n(d.unsent), Unconfirmed: n(d.unconfirmed), Refused: n(d.refused) };
    c[qosKey(q, 'Expected')] = d.expected + withdrawn.Unsent + withdrawn.Unconfirmed + withdrawn.Refused;
    for (const [k, v] of Object.entries(withdrawn)) c[qosKey(q, k as keyof typeof withdrawn)] = v;
    c[qosKey(q, 'Unique')] = d.received - d.duplicated;
    c[qosKey(q, 'Duplicated')] = d.duplicated;
    c[qosKey(q, 'OutOfOrder')] = d.outOfOrder;
    c[qosKey(q, 'NotEntitled')] = n(d.notEntitled);
    c[qosKey(q, 'AwayAtEnd')] = n(d.awayAtEnd);
  }
  return c;
}
