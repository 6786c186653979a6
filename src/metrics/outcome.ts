/**
 * What a run hands back. `RunOutcome` is the coordinator's raw record (status, the merged measurement, the
 * instants it reached), consumed by the results builder; `RunResult` is what `runScenario` returns (the
 * results file contents plus the timeline); `IntervalView` is what reporters see about once a second.
 * Plain records, owned by neither the coordinator nor the reporters that use them.
 */
import type { Aggregator } from './aggregate.js';
import type { SeqBitmap } from './seqBitmap.js';
import type { ShareBuffers } from './shareLedger.js';
import type { Phase, Results, RunStatus } from './types.js';

/**
 * When the run reached each stage, epoch ms (0: never reached, e.g. publishing of a run whose connect
 * phase failed). `connectAt`: the connect barrier (every worker thread up, no connection yet);
 * `connectedAt`: every worker reported its connect phase over; `publishStart`: t0 of the schedule;
 * [`measureFrom`, `measureEnd`): the measured window (cut short by an interruption).
 */
export interface RunTimeline {
  connectAt: number;
  connectedAt: number;
  publishStart: number;
  measureFrom: number;
  measureEnd: number;
}

export interface RunOutcome extends RunTimeline {
  status: RunStatus;
  reason?: string;
  agg: Aggregator;
  startedAt: Date;
  workers: number;
  /** Which messages reached at least one subscriber (all threads of this process wrote it). */
  delivered: SeqBitmap;
  /** The receive-side ledger's shared `$share` group records (segments record them for the merge). */
  ledger: { shares: ShareBuffers };
}

/** The timeline fields of an outcome (or of anything carrying them). */
export function timelineOf(o: RunTimeline): RunTimeline {
  return { connectAt: o.connectAt, connectedAt: o.connectedAt, publishStart: o.publishStart, measureFrom: o.measureFrom, measureEnd: o.measureEnd };
}

/** What `runScenario` returns. */
export interface RunResult {
  /** The results file contents (schemaVersion 1), thresholds checked unless this is one segment of a run. */
  results: Results;
  timeline: RunTimeline;
  /** Delivery promises the broker broke (loss at QoS 1/2, duplicates at QoS 2, missing retained messages); [] unless complete. */
  brokenPromises: string[];
  /** No threshold failed (true when there were none or they were not checked). */
  thresholdsPassed: boolean;
}

/** The run as it stands, about once a second and once more at the end (`final`). Read only. */
export interface IntervalView {
  /** Epoch ms of this view. */
  at: number;
  phase: Phase;
  /** Seconds since publishing started (0 before), and the planned publishing time (warm-up + duration). */
  elapsedSec: number;
  totalSec: number;
  /** Clients this process runs. */
  plannedClients: number;
  /** Cumulative counters and histograms of the run so far, and its per-second rows. Do not mutate. */
  agg: Aggregator;
  /** The last view of the run: every final snapshot is in. */
  final: boolean;
}
