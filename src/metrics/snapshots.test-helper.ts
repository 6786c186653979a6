/**
 * Test helpers for the merge model: worker snapshots built from counters and latency samples, and results
 * files built from snapshots the way a run builds them (an Aggregator, then buildResults).
 */
import { Aggregator } from './aggregate.js';
import type { Counters } from './counterFields.js';
import { zeroCounters } from './counters.js';
import { createHistogram, encodeHistogram, recordMs } from './histogram.js';
import { HISTOGRAM_KEYS, type EncodedHistograms, type HistogramKey } from './histogramKeys.js';
import type { RunOutcome } from './outcome.js';
import { buildResults } from './results.js';
import type { Results } from './resultsFile.js';
import type { SegmentInfo } from './segmentTypes.js';
import type { Phase, Snapshot } from './snapshot.js';

export interface SnapshotSpec {
  workerIndex: number;
  at: number;
  phase?: Phase;
  counters: Partial<Counters>;
  /** Latency samples (ms) per histogram, for both the interval and the measured histograms. */
  latencyMs?: Partial<Record<HistogramKey, number[]>>;
  connectErrors?: Record<string, number>;
  inflightWindow?: number;
  open?: number;
  byIntendedSecond?: [number, number, number][];
}

export function encoded(latencyMs: Partial<Record<HistogramKey, number[]>> = {}): EncodedHistograms {
  return Object.fromEntries(
    HISTOGRAM_KEYS.map((k) => {
      const h = createHistogram();
      for (const ms of latencyMs[k] ?? []) recordMs(h, ms);
      return [k, encodeHistogram(h)];
    }),
  ) as EncodedHistograms;
}

export function snapshot(s: SnapshotSpec): Snapshot {
  const c = { ...zeroCounters(), ...s.counters };
  const hs = encoded(s.latencyMs);
  return {
    workerIndex: s.workerIndex,
    at: s.at,
    phase: s.phase ?? 'measure',
    all: c,
    measured: { ...c },
    intervalHistograms: hs,
    measuredHistograms: hs,
    connectErrors: s.connectErrors ?? {},
    eventLoopDelayMaxMs: 3,
    eventLoopDelayP99Ms: 1,
    busyMs: 100,
    intervalMs: 1000,
    openConnections: s.open ?? 10,
    byIntendedSecond: s.byIntendedSecond ?? [],
    ...(s.inflightWindow !== undefined ? { inflightWindow: s.inflightWindow } : {}),
  };
}

export const SCENARIO = { name: 'merge-model', target: { url: 'mqtt://a:1883', mqttVersion: 4 }, durationMs: 3000, thresholds: [] };

export function segmentInfo(index: number, count: number): SegmentInfo {
  return {
    index,
    count,
    runId: 'run1',
    scenarioHash: 'x',
    host: 'h1',
    clockSource: 'system',
    startAt: '2030-01-01T00:00:00.000Z',
    clockOffset: null,
    clockOffsetReason: 'test',
  };
}

/** The results file of a run (or of one segment) whose workers sent `snaps`; publishing starts at 0, measured 1 s → 4 s. */
export function resultsOf(snaps: Snapshot[], segment?: SegmentInfo): Results {
  const agg = new Aggregator(0);
  for (const s of snaps) agg.add(s);
  const workers = new Set(snaps.map((s) => s.workerIndex)).size;
  // No ledger: these runs have no `$share` groups.
  const o = {
    status: 'complete',
    agg,
    startedAt: new Date(0),
    connectAt: -2000,
    connectedAt: -1000,
    publishStart: 0,
    measureFrom: 1000,
    measureEnd: 4000,
    workers,
  } as RunOutcome;
  return buildResults(o, { mqbenchVersion: 't', scenario: SCENARIO, targetUrl: 'mqtt://a:1883', embedded: false, ...(segment ? { segment } : {}) });
}
