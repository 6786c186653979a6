/**
 * The one merge model. A measurement is everything a run's summary is computed from: the measured counters,
 * the measured latency histograms, the connection failure reasons and the largest in-flight window. Worker
 * snapshots (in-process, Aggregator), segment results (`--processes`, `mqbench merge`) all carry it in the
 * same recorded form (histograms encoded) and are added with the same `addMeasurement`; the summary is then a
 * view of the total (summaryOf.ts).
 */
import { COUNTER_KEYS } from './catalogue.js';
import type { Counters } from './counterFields.js';
import { addCounters, zeroCounters } from './counters.js';
import { addEncoded, createHistogram, encodeHistogram, type Histogram } from './histogram.js';
import { HISTOGRAM_KEYS, type EncodedHistograms, type HistogramKey } from './histogramKeys.js';
import type { Snapshot } from './snapshot.js';

export interface Measurement {
  counters: Counters;
  histograms: Record<HistogramKey, Histogram>;
  /** Connection failure reasons with their counts. */
  connectErrors: Record<string, number>;
  /** A level, not a count: the largest QoS 1/2 in-flight window in effect anywhere (0: none). */
  inflightWindow: number;
}

/** A measurement as it crosses a thread or lands in a file: histograms encoded (an absent or empty one is empty). */
export interface RecordedMeasurement {
  counters: Counters;
  histograms: Partial<EncodedHistograms>;
  connectErrors: Record<string, number>;
  inflightWindow: number;
}

export function emptyMeasurement(): Measurement {
  return {
    counters: zeroCounters(),
    histograms: Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, createHistogram()])) as Record<HistogramKey, Histogram>,
    connectErrors: {},
    inflightWindow: 0,
  };
}

/** Adds `add` into `into`: counters by their catalogue rule, histograms added, reasons counted, the window the larger. */
export function addMeasurement(into: Measurement, add: RecordedMeasurement): Measurement {
  addCounters(into.counters, add.counters);
  for (const k of HISTOGRAM_KEYS) addEncoded(into.histograms[k], add.histograms[k] ?? '');
  for (const [reason, n] of Object.entries(add.connectErrors)) into.connectErrors[reason] = (into.connectErrors[reason] ?? 0) + n;
  into.inflightWindow = Math.max(into.inflightWindow, add.inflightWindow);
  return into;
}

/** The measured part of a worker's snapshot. */
export function measuredOf(s: Snapshot): RecordedMeasurement {
  return { counters: s.measured, histograms: s.measuredHistograms, connectErrors: s.connectErrors, inflightWindow: s.inflightWindow ?? 0 };
}

export function encodeHistograms(h: Record<HistogramKey, Histogram>): EncodedHistograms {
  return Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, encodeHistogram(h[k])])) as EncodedHistograms;
}

/** A copy of counters with only the catalogued keys (what a results file records). */
export function recordCounters(c: Counters): Counters {
  const out = zeroCounters();
  for (const k of COUNTER_KEYS) out[k] = c[k];
  return out;
}

/**
 * `$share` deliveries found in several segments (shareMerge.ts), per class: each is a duplicate the segments
 * could not see, counted as a unique delivery in the second segment. Applied to the total counters.
 */
export function addCrossSegmentDuplicates(c: Counters, byQos: readonly [number, number, number]): void {
  for (const q of [0, 1, 2] as const) {
    c.duplicated += byQos[q];
    c[`q${q}Duplicated`] += byQos[q];
    c[`q${q}Unique`] -= byQos[q];
  }
}
