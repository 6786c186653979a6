/**
 * What a worker thread sends the coordinator once per interval (and once at the end): counters and encoded
 * HDR histograms (histograms cross threads encoded), plus the worker's self-check.
 */
import type { Counters } from './counterFields.js';
import type { EncodedHistograms } from './histogramKeys.js';

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
  /** Final snapshot only: the oldest horizon of the worker's subscriber streams, epoch ms (tail.ts; absent: no receivers). */
  deliveryHorizonMs?: number;
  /** The largest QoS 1/2 in-flight window a publisher of this worker used so far (a level; 0: none). */
  inflightWindow?: number;
}
