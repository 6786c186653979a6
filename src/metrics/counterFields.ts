/**
 * The Counters record: every count a worker keeps, documented field by field. A Snapshot carries their
 * increase since the previous one; how each merges, where it lands in the summary and under which
 * Prometheus name it is exported is declared once in catalogue.ts (which fails to compile when a field
 * here has no entry there).
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
  /** Deliveries whose arrival fell inside the measured window (other runs' timed messages included: the receive rate). */
  receivedInWindow: number;
  /**
   * Per delivery QoS (min of the publish QoS and the subscription's QoS): expected deliveries,
   * unique deliveries, duplicates and out-of-order arrivals.
   */
  q0Expected: number;
  q1Expected: number;
  q2Expected: number;
  q0Unique: number;
  q1Unique: number;
  q2Unique: number;
  q0Duplicated: number;
  q1Duplicated: number;
  q2Duplicated: number;
  q0OutOfOrder: number;
  q1OutOfOrder: number;
  q2OutOfOrder: number;
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
  q0Unsent: number;
  q1Unsent: number;
  q2Unsent: number;
  q0Unconfirmed: number;
  q1Unconfirmed: number;
  q2Unconfirmed: number;
  q0Refused: number;
  q1Refused: number;
  q2Refused: number;
  /**
   * What the broker offers (capabilities.ts). SUBACK downgrades by asked→granted QoS; refused $share filters;
   * QoS 2 publishes completed by a PUBACK (run as QoS 1); deliveries whose PUBLISH arrived below the QoS in
   * effect; deliveries (and retained messages of late wildcard subscriptions) not expected because the broker
   * does not offer the feature they need.
   */
  sub2to1: number;
  sub2to0: number;
  sub1to0: number;
  subRefusedShared: number;
  pubQos2AsQos1: number;
  arrivedBelowQos: number;
  notOffered: number;
  retainedNotOffered: number;
  /** Receive-side ledger (H2): deliveries owed to no one because the subscriber's session had ended (moved out of expected), per class. */
  notEntitled: number;
  q0NotEntitled: number;
  q1NotEntitled: number;
  q2NotEntitled: number;
  /** Deliveries queued for persistent sessions still away when the run ended (moved out of expected), per class. */
  awayAtEnd: number;
  q0AwayAtEnd: number;
  q1AwayAtEnd: number;
  q2AwayAtEnd: number;
  /** Further copies MQTT allows for overlapping subscriptions (not in received); deliveries the ledger could not check (not in received). */
  extraCopies: number;
  unverifiable: number;
  /** Deliveries without a header while the run has header-less publishers (payload.header: false): counted, not checked. */
  receivedNoHeader: number;
  /** Deliveries carrying another mqbench run's header, to a group with fromOtherRuns: timed (end-to-end), never in the ledger. */
  otherRuns: number;
  /**
   * Last wills (connect.will), a stream of their own: deliveries owed by the subscriptions matching a will topic
   * when its client's connection ended without DISCONNECT (QoS 1/2, promised; QoS 0), and will deliveries received.
   */
  willsExpected: number;
  willsExpectedQos0: number;
  willsReceived: number;
  /** Churn (connect.lifetime): connections ended at the end of their lifetime, and how many came back. */
  churned: number;
  churnedBack: number;
  /** Persistent sessions (clean: false) at a reconnect: recovered by the broker (CONNACK session present), or gone. */
  sessionsResumed: number;
  sessionsLost: number;
}

export type QosClass = 0 | 1 | 2;
export type QosFigure = 'Expected' | 'Unique' | 'Duplicated' | 'OutOfOrder' | 'NotEntitled' | 'AwayAtEnd' | 'Unsent' | 'Unconfirmed' | 'Refused';
export type QosCounterKey = `q${QosClass}${QosFigure}`;

/** Counter key of a per-QoS figure, e.g. qosKey(1, 'Expected') === 'q1Expected'. */
export function qosKey(q: QosClass, what: QosFigure): QosCounterKey {
  return `q${q}${what}`;
}
