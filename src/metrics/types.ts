/**
 * Compatibility index of the measurement shapes, which live one concept per file: counterFields.ts (Counters),
 * histogramKeys.ts, snapshot.ts (the thread payload), summary.ts and resultsFile.ts (the results-file
 * contract). New code imports from those files.
 */
export type { Counters, QosClass, QosFigure, QosCounterKey } from './counterFields.js';
export { qosKey } from './counterFields.js';
export { COUNTER_KEYS } from './catalogue.js';
export { HISTOGRAM_KEYS, type HistogramKey, type EncodedHistograms } from './histogramKeys.js';
export type { Phase, Snapshot } from './snapshot.js';
export type { LatencySummary, Summary, ProbedCapability, Capabilities, QosDelivery } from './summary.js';
export type { IntervalRow, RunStatus, ThresholdResult, Results } from './resultsFile.js';
