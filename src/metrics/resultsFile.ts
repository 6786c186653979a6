/**
 * The results file (schemaVersion 1, DESIGN.md §6): fields are only ever added. Read back through
 * resultsDecode.ts, which checks the shape and names the field that is wrong.
 */
import type { Counters } from './counterFields.js';
import type { EncodedHistograms } from './histogramKeys.js';
import type { MergeInfo, SegmentInfo, SegmentShareLedger } from './segmentTypes.js';
import type { Phase } from './snapshot.js';
import type { Summary } from './summary.js';
import type { BrokerResults, IntervalBroker } from '../observe/types.js';

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
  /** Messages of other mqbench runs timed in this second (groups with fromOtherRuns; not in `received`). */
  otherRuns?: number;
  /**
   * Segment runs only (so `merge` can add seconds up exactly): this second's end-to-end HDR histogram
   * (compressed base64) and the raw expected / unique received counts behind `lost`.
   */
  endToEndHdr?: string;
  intendedExpected?: number;
  intendedUnique?: number;
  /** The broker as observed in this second (src/observe), when the run watched it. */
  broker?: IntervalBroker;
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
    node: string;
    os: string;
    cpus: number;
    cpuModel: string;
    host: string;
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
  /**
   * Segment runs (and `merge` output): the exact measured counters behind `summary`, so `merge` adds counts,
   * not counts rebuilt from rounded rates (measurement.ts). With `histograms`, `summary.connections.errors`
   * and `summary.messages.inflightWindow` this is the run's whole mergeable measurement.
   */
  counters?: Counters;
  /** The broker's resources, costs and own counters, when the run watched it (src/observe; DESIGN.md §6 additions). */
  broker?: BrokerResults;
}
