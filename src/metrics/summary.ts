/**
 * The summary of a run as the results file records it (`results.summary`): a view computed from the
 * measured counters and histograms in one place (summaryOf.ts). Latencies in milliseconds.
 */
import type { QosClass } from './counterFields.js';
import type { HistogramKey } from './histogramKeys.js';

export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Summary {
  connections: {
    attempted: number;
    succeeded: number;
    failed: number;
    lost: number;
    /** Lost connections that came back (reconnect attempts counted separately). */
    reconnected: number;
    reconnectAttempts: number;
    /** Connections dropped on purpose by events, and how many came back. */
    dropped: number;
    droppedBack: number;
    /** Clients whose SUBACK refused a filter (or whose subscribe failed): nothing is expected to reach them. */
    subscribeFailed: number;
    /** Churn (connect.lifetime): connections ended at the end of their lifetime, and how many came back (absent without churn). */
    churned?: number;
    churnedBack?: number;
    /** Reconnects of persistent sessions: recovered by the broker (session present) or gone (absent when none). */
    sessionsResumed?: number;
    sessionsLost?: number;
    errors: Record<string, number>;
  };
  messages: {
    sent: number;
    acked: number;
    received: number;
    expected: number;
    lost: number;
    /**
     * Of `lost`, those that may have been still undelivered (queued) when the drain ended: not behind a later
     * arrival of their stream (tail.ts). `lost − lostAtTail` are proven gaps. Absent when no client received.
     */
    lostAtTail?: number;
    /** The intended second (since publishing start) from which missing deliveries count in lostAtTail. */
    tailFromSec?: number;
    duplicated: number;
    outOfOrder: number;
    lateSends: number;
    missedSends: number;
    publishErrors: number;
    foreign: number;
    /** Deliveries sent while the subscriber was not counted (around subscribe, unsubscribe, clean drops): not in received. */
    unexpected: number;
    /** Retained messages that late subscriptions should have received, and did. */
    retainedExpected: number;
    retainedReceived: number;
    /** MQTT 5 request/response: responses sent and received back (their latency: latencyMs.requestResponse). */
    responsesSent: number;
    responsesReceived: number;
    /** The accounting (see README "What the counts mean"): planned = sent + missedSends + unsent. */
    planned?: number;
    /** Due but never written: not connected, backlog full, or still waiting (window, socket) at the end. */
    unsent?: number;
    /** Of unsent: waiting for room when the run or their connection ended (their waits: latencyMs.unsentWait). */
    waitingAtEnd?: number;
    /** QoS 1/2 written, never acknowledged, received by no subscriber: not expected, never lost. */
    unconfirmed?: number;
    /** QoS 1/2 the broker took responsibility for: acknowledged, or received by some subscriber. */
    accepted?: number;
    /** Refused with a reason code (or by the client): not expected. */
    refused?: number;
    /** Late sends that waited for room in the in-flight window or the socket (broker back-pressure). */
    waitedSends?: number;
    /** The largest QoS 1/2 in-flight window in effect (publish.inflight, else Receive Maximum, else 20); 0: none. */
    inflightWindow?: number;
    /** Deliveries (retained messages) the plan would expect but the broker does not offer: not in expected, never lost (see capabilities). */
    notOffered: number;
    retainedNotOffered: number;
    /** Receive-side ledger: see Counters (notEntitled, awayAtEnd: out of expected; extraCopies, unverifiable: out of received). */
    notEntitled: number;
    awayAtEnd: number;
    extraCopies: number;
    unverifiable: number;
    /** Deliveries without mqbench's header while some group publishes header-less payloads: counted, never checked (absent otherwise). */
    receivedNoHeader?: number;
    /** Deliveries carrying another mqbench run's header (groups with fromOtherRuns): in end-to-end latency, never in the ledger (absent when none). */
    otherRuns?: number;
  };
  /** Present when the planned rate was not reached because the broker pushed back (not the generator). */
  backPressure?: { reason: string };
  /** Achieved rates: sends and arrivals whose actual time fell inside the measured window, per second. */
  throughput: { sentPerSec: number; receivedPerSec: number };
  latencyMs: Record<HistogramKey, LatencySummary>;
  /** Delivery by QoS (the lower of publish and subscription QoS), only for classes that carried traffic. */
  byQos: Partial<Record<'0' | '1' | '2', QosDelivery>>;
  /** One sentence per QoS class: what its promise was and whether it held. */
  verdicts: string[];
  /** What the broker offers of what the scenario uses: probed before the run and seen during it. */
  capabilities?: Capabilities;
  /**
   * Last wills, when a group has one: deliveries expected (abrupt disconnects × matching subscriptions; QoS 0
   * ones apart), received, missing (expected − received, at least 0) and unexpected (received beyond expected:
   * wills sent after a graceful disconnect, or twice).
   */
  wills?: { expected: number; expectedQos0: number; received: number; missing: number; unexpected: number; ok: boolean };
  /** Groups that publish in a closed loop (publish.rate: max): a closed model, latency not corrected. */
  closedLoop?: { groups: string[]; note: string };
  /** Groups that publish without mqbench's header (payload.header: false): what is not measured for them. */
  headerless?: { groups: string[]; note: string };
}

/** A feature the scenario uses, probed before the run with doctor's probes. */
export interface ProbedCapability {
  feature: 'shared subscriptions' | 'retained messages to wildcard filters' | 'QoS 2';
  /** false: not offered (its deliveries count as notOffered, not expected); null: the probe could not tell (treated as offered). */
  offered: boolean | null;
  /** What the probe saw (doctor's finding). */
  finding: string;
}

export interface Capabilities {
  probed: ProbedCapability[];
  /** SUBACK granted a lower QoS than asked, by "asked→granted", e.g. { "2→1": 200 } (only those that happened). */
  subscriptionsDowngraded: Record<string, number>;
  /** $share filters the broker refused (SUBACK 0x80). */
  sharedRefused: number;
  /** QoS 2 publishes completed by a PUBACK: the broker ran them as QoS 1. */
  qos2PublishedAsQos1: number;
  /** Deliveries whose PUBLISH arrived with a lower QoS than the subscription's granted QoS and the publish allowed. */
  deliveriesDowngraded: number;
  /** One sentence per feature the broker does not offer, with counts: "the broker does not offer …". */
  notOffered: string[];
}

export interface QosDelivery {
  expected: number;
  received: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Deliveries not expected (taken out of `expected`) because their message was unsent, unconfirmed or refused. */
  unsent?: number;
  unconfirmed?: number;
  refused?: number;
  /** Deliveries to sessions that had ended (not owed), and queued for sessions still away at the end: not in expected. */
  notEntitled?: number;
  awayAtEnd?: number;
  /** Whether the QoS promise held: QoS 0 may lose, QoS 1 may duplicate, QoS 2 may do neither. */
  ok: boolean;
  verdict: string;
  /** The QoS the broker ran this class with when lower (QoS 2 publishes acknowledged with PUBACK): the promise judged. */
  ranAs?: QosClass;
}
