/**
 * The latency histograms every run keeps (integer microseconds in HDR histograms, reported in milliseconds).
 * What each one means, its Prometheus label and its table label: summaryCatalogue.ts.
 */
/**
 * unsentWait: per message still waiting for room when the run (or its connection) ended, intended send → then.
 * connect: attempt → CONNACK (the broker's handshake); connectFromSlot: the connection's paced slot → CONNACK, so
 * it also holds any wait for one of the worker's handshake slots (coordinated omission, as endToEnd for messages).
 */
export const HISTOGRAM_KEYS = [
  'connect',
  'publishAck',
  'endToEnd',
  'endToEndUncorrected',
  'reconnect',
  'requestResponse',
  'unsentWait',
  'connectFromSlot',
] as const;
export type HistogramKey = (typeof HISTOGRAM_KEYS)[number];
/** Compressed base64 HDR histograms, one per key. */
export type EncodedHistograms = Record<HistogramKey, string>;
