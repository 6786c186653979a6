/**
 * Results fields of distributed runs (additive to schemaVersion 1): what one segment records about
 * itself, and what `mqbench merge` records about the shards it added up.
 */
import type { ClockOffsetEstimate } from '../host/clockOffset.js';

export interface SegmentInfo {
  /** 0-based segment index and the number of segments (N). */
  index: number;
  count: number;
  /** Shared by every segment: `{run}` in client ids and topics; the payload run tag is derived from it. */
  runId: string;
  /** Hash of the scenario as written in `scenario` (broker URL left out): merge refuses different ones. */
  scenarioHash: string;
  /** Machine name (MQBENCH_HOST if set, e.g. the Kubernetes node name; else the OS host name). */
  host: string;
  /** Where timestamps come from: this machine's system clock (epoch ms). */
  clockSource: 'system';
  /** ISO time publishing began: the shared start (--start-at) that every segment's `t` counts from. */
  startAt: string;
  /** This clock's offset from its reference, where chrony or timesyncd says; null with the reason otherwise. */
  clockOffset: ClockOffsetEstimate | null;
  clockOffsetReason?: string;
}

export interface MergeInfo {
  runId: string;
  scenarioHash: string;
  /** The shards merged, in segment order. */
  segments: SegmentInfo[];
  /** Segment indices of the run that were not among the shards (the merged result is then partial). */
  missing: number[];
  hosts: string[];
  /**
   * How far end-to-end figures may be off because publisher and subscriber clocks differ: 0 on one host;
   * the spread of the known clock offsets plus their error bounds across hosts; null when not known.
   */
  clockUncertaintyMs: number | null;
  clockNote: string;
  /** `$share` groups across segments: how many cross-segment duplicates were found, or what was not checked. */
  shares?: { crossSegmentDuplicates: number; note: string };
}

/** results.shareLedger of a segment (additive field of schemaVersion 1; absent without `$share` groups). */
export interface SegmentShareLedger {
  /** Per group with a shared record: its `$share/<name>/<filter>`, its cells deflated and base64. */
  groups: { filter: string; classes: string }[];
  /** Groups with several members but no shared record: their cross-member duplicates were unverifiable. */
  unrecorded: string[];
  /** Why the cells were not written (then `groups` is empty). */
  omitted?: string;
}
