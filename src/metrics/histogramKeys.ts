/**
 * The latency histograms every run keeps (integer microseconds in HDR histograms, reported in milliseconds).
 * What each one means, its Prometheus label and its table label: summaryCatalogue.ts.
 */
/** unsentWait: per message still waiting for room when the run (or its connection) ended, intended send → then. */
export const HISTOGRAM_KEYS = ['connect', 'publishAck', 'endToEnd', 'endToEndUncorrected', 'reconnect', 'requestResponse', 'unsentWait'] as const;
export type HistogramKey = (typeof HISTOGRAM_KEYS)[number];
/** Compressed base64 HDR histograms, one per key. */
export type EncodedHistograms = Record<HistogramKey, string>;
