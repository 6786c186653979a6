import type { MergeInfo, SegmentInfo, SegmentShareLedger } from './segmentTypes.js';

/**
 * Measurement data shapes: what workers send (Snapshot) and what reporters read (Summary, Results).
 * Latencies are recorded as integer microseconds in HDR histograms and reported in milliseconds.
 */

/** Monotonic counters; a Snapshot carries the increase since the previous one. */
export interface Counters {
  connAttempted: number;
  connSucceeded: number;
  connFailed: number;
  /** Connections that closed unexpectedly after they had been established. */
  connLost: number;
  /** Attempts to reconnect after a loss, and how many of the lost devices came back. */
  reconnectAttempts: number;
  reconnected: number;
  /** Connections an event dropped on purpose, and how many of them came back. */
  dropped: number;
  droppedBack: number;
  sent: number;
  /** QoS 1 PUBACK / QoS 2 PUBCOMP received. */
  acked: number;
  /** Deliveries of this run's messages the plan expected (duplicates included; `unexpected` ones not). */
  received: number;
  /** Deliveries the plan's subscriptions promise for the messages sent. */
  expected: number;
  duplicated: number;
  outOfOrder: number;
  /** Sends that left later than LATE_SEND_MS after their intended time. */
  lateSends: number;
  /** Publishes that failed at once: not connected or backlog full (both also unsent), or refused (also refused). */
  publishErrors: number;
  subscribeFailed: number;
  /** Deliveries without this run's header (other traffic, old retained messages). */
  foreign: number;
  /** Scheduled sends never made: the generator was still behind GIVE_UP_MS (plan/timeline.ts) after the window ended. */
  missedSends: number;
  /** Deliveries of messages sent while the plan did not count the subscriber (across a subscription change). */
  unexpected: number;
  /** MQTT 5 request/response: responses sent by responders, and received back by requesters. */
  responsesSent: number;
  responsesReceived: number;
  /** Retained messages late subscriptions should get (one per matching retained topic) and got. */
  retainedExpected: number;
  retainedReceived: number;
  /** Sends whose actual send time fell inside the measured window (the achieved rate). */
  sentInWindow: number;
  /** Deliveries whose arrival fell inside the measured window. */
  receivedInWindow: number;
  /**
   * Per delivery QoS (min of the publish QoS and the subscription's QoS): expected deliveries,
   * unique deliveries, duplicates and out-of-order arrivals.
   */
  q0Expected: number; q1Expected: number; q2Expected: number;
  q0Unique: number; q1Unique: number; q2Unique: number;
  q0Duplicated: number; q1Duplicated: number; q2Duplicated: number;
  q0OutOfOrder: number; q1OutOfOrder: number; q2OutOfOrder: number;
  // Publish-side accounting (issue 11): every slot of the plan ends in exactly one state.
  /** Slots of the plan (due while the group was not paused; given-up slots included): sent + missed + unsent. */
  planned: number;
  /** Due slots never handed to the client: it was not connected, its backlog was full, or they still waited at the end. */
  unsent: number;
  /** Handed to the client but never written to the socket (the driver's NotSent): unsent, not sent, in the summary. */
  notWritten: number;
  /** Unsent messages that were waiting for room (window or socket) when the run or their connection ended. */
  waitingAtEnd: number;
  /** Late sends that waited for room in the in-flight window or the socket: broker back-pressure, not the generator. */
  waitedSends: number;
  /** QoS 1/2 written, never acknowledged, and received by no subscriber: the broker may never have had them. */
  unconfirmed: number;
  /** QoS 1/2 written, never acknowledged, but received by a subscriber: the broker had accepted them. */
  deliveredUnacked: number;
  /** Publishes the broker refused with a reason code (or the client rejected): never expected anywhere. */
  refused: number;
  /** Expected deliveries withdrawn by delivery QoS, because their message was not written, unconfirmed or refused. */
  q0Unsent: number; q1Unsent: number; q2Unsent: number;
  q0Unconfirmed: number; q1Unconfirmed: number; q2Unconfirmed: number;
  q0Refused: number; q1Refused: number; q2Refused: number;
  /**
   * What the broker offers (capabilities.ts). SUBACK downgrades by asked→granted QoS; refused $share filters;
   * QoS 2 publishes completed by a PUBACK (run as QoS 1); deliveries whose PUBLISH arrived below the QoS in
   * effect; deliveries (and retained messages of late wildcard subscriptions) not expected because the broker
   * does not offer the feature they need.
   */
  sub2to1: number; sub2to0: number; sub1to0: number; subRefusedShared: number;
  pubQos2AsQos1: number; arrivedBelowQos: number; notOffered: number; retainedNotOffered: number;
  /** Receive-side ledger (H2): deliveries owed to no one because the subscriber's session had ended (moved out of expected), per class. */
  notEntitled: number; q0NotEntitled: number; q1NotEntitled: number; q2NotEntitled: number;
  /** Deliveries queued for persistent sessions still away when the run ended (moved out of expected), per class. */
  awayAtEnd: number; q0AwayAtEnd: number; q1AwayAtEnd: number; q2AwayAtEnd: number;
  /** Further copies MQTT allows for overlapping subscriptions (not in received); deliveries the ledger could not check (not in received). */
  extraCopies: number; unverifiable: number;
  /** Deliveries without a header while the run has header-less publishers (payload.header: false): counted, not checked. */
  receivedNoHeader: number;
  /**
   * Last wills (connect.will), a stream of their own: deliveries owed by the subscriptions matching a will topic
   * when its client's connection ended without DISCONNECT (QoS 1/2, promised; QoS 0), and will deliveries received.
   */
  willsExpected: number; willsExpectedQos0: number; willsReceived: number;
  /** Churn (connect.lifetime): connections ended at the end of their lifetime, and how many came back. */
  churned: number; churnedBack: number;
  /** Persistent sessions (clean: false) at a reconnect: recovered by the broker (CONNACK session present), or gone. */
  sessionsResumed: number; sessionsLost: number;
}

export type QosClass = 0 | 1 | 2;
export type QosFigure = 'Expected' | 'Unique' | 'Duplicated' | 'OutOfOrder'
  | 'NotEntitled' | 'AwayAtEnd'
  | 'Unsent' | 'Unconfirmed' | 'Refused';
export type QosCounterKey = `q${QosClass}${QosFigure}`;

/** Counter key of a per-QoS figure, e.g. qosKey(1, 'Expected') === 'q1Expected'. */
export function qosKey(q: QosClass, what: QosFigure): QosCounterKey {
  return `q${q}${what}`;
}

export const COUNTER_KEYS: readonly (keyof Counters)[] = [
  'connAttempted', 'connSucceeded', 'connFailed', 'connLost', 'reconnectAttempts', 'reconnected', 'dropped', 'droppedBack', 'sent', 'acked', 'received', 'expected',
  'duplicated', 'outOfOrder', 'lateSends', 'publishErrors', 'subscribeFailed', 'foreign',
  'missedSends', 'unexpected', 'responsesSent', 'responsesReceived', 'retainedExpected', 'retainedReceived', 'sentInWindow', 'receivedInWindow',
  'q0Expected', 'q1Expected', 'q2Expected', 'q0Unique', 'q1Unique', 'q2Unique',
  'q0Duplicated', 'q1Duplicated', 'q2Duplicated', 'q0OutOfOrder', 'q1OutOfOrder', 'q2OutOfOrder',
  'planned', 'unsent', 'notWritten', 'waitingAtEnd', 'waitedSends', 'unconfirmed', 'deliveredUnacked', 'refused',
  'q0Unsent', 'q1Unsent', 'q2Unsent', 'q0Unconfirmed', 'q1Unconfirmed', 'q2Unconfirmed', 'q0Refused', 'q1Refused', 'q2Refused',
  'sub2to1', 'sub2to0', 'sub1to0', 'subRefusedShared', 'pubQos2AsQos1', 'arrivedBelowQos', 'notOffered', 'retainedNotOffered',
  'notEntitled', 'q0NotEntitled', 'q1NotEntitled', 'q2NotEntitled', 'awayAtEnd', 'q0AwayAtEnd', 'q1AwayAtEnd', 'q2AwayAtEnd', 'extraCopies', 'unverifiable',
  'receivedNoHeader', 'willsExpected', 'willsExpectedQos0', 'willsReceived',
  'churned', 'churnedBack', 'sessionsResumed', 'sessionsLost',
];

/** unsentWait: per message still waiting for room when the run (or its connection) ended, intended send → then. */
export const HISTOGRAM_KEYS = ['connect', 'publishAck', 'endToEnd', 'endToEndUncorrected', 'reconnect', 'requestResponse', 'unsentWait'] as const;
export type HistogramKey = (typeof HISTOGRAM_KEYS)[number];
/** Compressed base64 HDR histograms, one per key. */
export type EncodedHistograms = Record<HistogramKey, string>;

export type Phase = 'connect' | 'warmup' | 'measure' | 'drain' | 'close';

/** What a worker reports once per interval (and once at the end). */
export interface Snapshot {
  workerIndex: number;
  /** Epoch milliseconds (performance.timeOrigin + performance.now()) at the end of the interval. */
  at: number;
  phase: Phase;
  /** Everything that happened in the interval (warm-up included): drives the per-second series. */
  all: Counters;
  /** Only messages intended after warm-up (and connections): drives the summary. */
  measured: Counters;
  /** Interval histograms of everything (for per-second percentiles). */
  intervalHistograms: EncodedHistograms;
  /** Interval histograms of measured messages (added up into the summary). */
  measuredHistograms: EncodedHistograms;
  /** Connection failure reasons counted in the interval, e.g. { ECONNREFUSED: 3, "CONNACK: Not authorized": 1 }. */
  connectErrors: Record<string, number>;
  /** Worker self-check over the interval. */
  eventLoopDelayMaxMs: number;
  eventLoopDelayP99Ms: number;
  /** Event-loop active time in the interval (ELU): how much of one CPU this thread used. */
  busyMs: number;
  /** Length of the interval in ms (to turn busyMs into a percentage). */
  intervalMs: number;
  /** Connections open at the end of the interval (a level, not a delta). */
  openConnections: number;
  /**
   * Measured deliveries by the second their message was *intended* for (s = whole seconds since
   * publishing began): [s, expected, uniqueReceived] deltas. Gives exact loss per second.
   */
  byIntendedSecond: [number, number, number][];
  /** The largest QoS 1/2 in-flight window a publisher of this worker used so far (a level; 0: none). */
  inflightWindow?: number;
}

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
    attempted: number; succeeded: number; failed: number; lost: number;
    /** Lost connections that came back (reconnect attempts counted separately). */
    reconnected: number; reconnectAttempts: number;
    /** Connections dropped on purpose by events, and how many came back. */
    dropped: number; droppedBack: number;
    /** Clients whose SUBACK refused a filter (or whose subscribe failed): nothing is expected to reach them. */
    subscribeFailed: number;
    /** Churn (connect.lifetime): connections ended at the end of their lifetime, and how many came back (absent without churn). */
    churned?: number; churnedBack?: number;
    /** Reconnects of persistent sessions: recovered by the broker (session present) or gone (absent when none). */
    sessionsResumed?: number; sessionsLost?: number;
    errors: Record<string, number>;
  };
  messages: {
    sent: number; acked: number; received: number; expected: number;
    lost: number; duplicated: number; outOfOrder: number;
    lateSends: number; missedSends: number; publishErrors: number; foreign: number;
    /** Deliveries sent while the subscriber was not counted (around subscribe, unsubscribe, clean drops): not in received. */
    unexpected: number;
    /** Retained messages that late subscriptions should have received, and did. */
    retainedExpected: number; retainedReceived: number;
    /** MQTT 5 request/response: responses sent and received back (their latency: latencyMs.requestResponse). */
    responsesSent: number; responsesReceived: number;
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
    notOffered: number; retainedNotOffered: number;
    /** Receive-side ledger: see Counters (notEntitled, awayAtEnd: out of expected; extraCopies, unverifiable: out of received). */
    notEntitled: number; awayAtEnd: number; extraCopies: number; unverifiable: number;
    /** Deliveries without mqbench's header while some group publishes header-less payloads: counted, never checked (absent otherwise). */
    receivedNoHeader?: number;
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

export interface IntervalRow {
  /** Seconds since the publish phase started (negative during connect). */
  t: number;
  phase: Phase;
  sent: number;
  received: number;
  acked: number;
  expected: number;
  lateSends: number;
  connections: number;
  endToEndP50: number | null;
  endToEndP99: number | null;
  /** Deliveries of messages intended for this second that never arrived (known once the run drained). */
  lost: number;
  /** Running total of `lost` up to and including this second. */
  lostSoFar: number;
  /**
   * Segment runs only (so `merge` can add seconds up exactly): this second's end-to-end HDR histogram
   * (compressed base64) and the raw expected / unique received counts behind `lost`.
   */
  endToEndHdr?: string;
  intendedExpected?: number;
  intendedUnique?: number;
}

export type RunStatus = 'complete' | 'partial' | 'failed';

/** One threshold checked against the summary (see thresholds.ts). */
export interface ThresholdResult {
  /** The expression as written, e.g. "endToEnd.p99 < 50ms". */
  expression: string;
  /** The summary's figure, in the metric's unit (ms for latency, a count, or per second). */
  actual: number;
  ok: boolean;
  /** Why a threshold failed without a comparison, e.g. "no samples" for a latency nothing measured. */
  note?: string;
}

/** The results file (schemaVersion 1, DESIGN.md §6). */
export interface Results {
  schemaVersion: 1;
  status: RunStatus;
  /** Why the run is partial or failed. */
  statusReason?: string;
  mqbenchVersion: string;
  scenario: Record<string, unknown> & { name: string };
  /**
   * insecureTls: the run had TLS certificate checks off (target.tls.insecure: true); absent otherwise.
   * urls: every broker of a run with several (target.urls), additive; `url` is then the first.
   * label: the broker's name from `--broker name=url` (how reports and comparisons name the run), additive.
   */
  target: { url: string; urls?: string[]; embedded: boolean; brokerVersion?: string; insecureTls?: boolean; label?: string };
  /** The scenario file's name (no folder), additive: reports name runs by broker label and scenario file. */
  scenarioFile?: string;
  startedAt: string;
  durationSec: number;
  summary: Summary;
  intervals: IntervalRow[];
  generator: {
    workers: number;
    maxEventLoopDelayMs: number;
    cpuPercentMax: number;
    saturated: boolean;
    saturatedReason?: string;
  };
  environment: {
    node: string; os: string; cpus: number; cpuModel: string; host: string;
    /** SHA-256 of the resolved scenario as recorded here (secrets redacted): equal hashes, same workload. */
    scenarioHash?: string;
  };
  histograms: EncodedHistograms;
  /** Thresholds from the scenario and --threshold, checked against `summary`; absent when there were none. */
  thresholds?: ThresholdResult[];
  /** A segment of a distributed run (--segment, --run-id, --start-at): see segmentTypes.ts. */
  segment?: SegmentInfo;
  /** Written by `mqbench merge`: the shards it added up and how far cross-machine latency can be trusted. */
  merged?: MergeInfo;
  /** A segment's `$share` group records, for `merge` to find duplicates across segments (see shareMerge.ts). */
  shareLedger?: SegmentShareLedger;
}
