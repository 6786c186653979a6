/**
 * A results file read back (`compare`, `report`, `merge`, `--processes`) is input: its shape is checked
 * against resultsFile.ts before anything reads it, and a wrong field is named (`summary.messages.sent must be
 * a number, found a string ("12")`) instead of crashing a reader later. The fixed points of schemaVersion 1
 * (DESIGN.md §6) are required; fields added since are checked when present (older files lack them); fields
 * this version does not know (added by a newer one, or by other parts such as `broker` or `capacity`) pass
 * through unchecked. The value is not rebuilt: what was read is what is returned.
 */
import { COUNTER_KEYS } from './catalogue.js';
import { HISTOGRAM_KEYS } from './histogramKeys.js';
import { boolean, counts, field, FieldError, listOf, nullOr, number, numbers, object, oneOf, optional, string, type Json } from './jsonFields.js';
import type { Results } from './resultsFile.js';
import { CONNECTION_FIGURES, LATENCY_STATS, MESSAGE_FIGURES, THROUGHPUT_FIGURES } from './summaryCatalogue.js';

export { FieldError };

/** The only results schema this version reads and writes. */
export const RESULTS_SCHEMA_VERSION = 1;

/** The latency histograms every schemaVersion 1 file has; later ones (reconnect …) are checked when present. */
const FIXED_HISTOGRAMS = ['connect', 'publishAck', 'endToEnd', 'endToEndUncorrected'] as const;
const FIXED_MESSAGES = ['sent', 'acked', 'received', 'expected', 'lost', 'duplicated', 'outOfOrder'];
const FIXED_CONNECTIONS = ['attempted', 'succeeded', 'failed'];
const STATUSES = ['complete', 'partial', 'failed'] as const;
const PHASES = ['connect', 'warmup', 'measure', 'drain', 'close'] as const;

const others = (all: object, fixed: readonly string[]) => Object.keys(all).filter((k) => !fixed.includes(k));

/** Thrown for a file that is not results of this schema version (the reader adds the file name). */
export class SchemaVersionError extends Error {
  constructor(readonly found: unknown) {
    super(
      `has ${found === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(found)}`}; this mqbench reads results files with schemaVersion ${RESULTS_SCHEMA_VERSION}`,
    );
  }
}

/** Checks `data` (parsed JSON) as a results file; throws SchemaVersionError or FieldError. */
export function decodeResults(data: unknown): Results {
  const r = object(data, 'the file');
  if (r.schemaVersion !== RESULTS_SCHEMA_VERSION) throw new SchemaVersionError(r.schemaVersion);
  field(r, 'status', '', (x, p) => oneOf(x, p, STATUSES));
  optional(r, 'statusReason', '', string);
  optional(r, 'mqbenchVersion', '', string);
  field(object(field(r, 'scenario', '', object), 'scenario'), 'name', 'scenario', string);
  target(field(r, 'target', '', object));
  optional(r, 'scenarioFile', '', string);
  field(r, 'startedAt', '', string);
  field(r, 'durationSec', '', number);
  summary(field(r, 'summary', '', object));
  field(r, 'intervals', '', listOf(interval));
  generator(field(r, 'generator', '', object));
  optional(r, 'environment', '', object);
  histograms(field(r, 'histograms', '', object));
  optional(r, 'thresholds', '', listOf(threshold));
  optional(r, 'segment', '', segment);
  optional(r, 'merged', '', object);
  optional(r, 'shareLedger', '', shareLedger);
  optional(r, 'counters', '', (x, p) => numbers(object(x, p), p, [], COUNTER_KEYS));
  return r as unknown as Results;
}

function target(t: Json): void {
  field(t, 'url', 'target', string);
  optional(t, 'urls', 'target', listOf(string));
  optional(t, 'embedded', 'target', boolean);
  optional(t, 'brokerVersion', 'target', string);
  optional(t, 'insecureTls', 'target', boolean);
  optional(t, 'label', 'target', string);
}

function summary(s: Json): void {
  const c = field(s, 'connections', 'summary', object);
  numbers(c, 'summary.connections', FIXED_CONNECTIONS, others(CONNECTION_FIGURES, FIXED_CONNECTIONS));
  optional(c, 'errors', 'summary.connections', counts);
  numbers(field(s, 'messages', 'summary', object), 'summary.messages', FIXED_MESSAGES, others(MESSAGE_FIGURES, FIXED_MESSAGES));
  numbers(field(s, 'throughput', 'summary', object), 'summary.throughput', Object.keys(THROUGHPUT_FIGURES));
  const l = field(s, 'latencyMs', 'summary', object);
  for (const k of FIXED_HISTOGRAMS) latency(field(l, k, 'summary.latencyMs', object), `summary.latencyMs.${k}`);
  for (const k of others(l, FIXED_HISTOGRAMS))
    if (HISTOGRAM_KEYS.includes(k as never)) latency(object(l[k], `summary.latencyMs.${k}`), `summary.latencyMs.${k}`);
  const byQos = optional(s, 'byQos', 'summary', object) ?? {};
  for (const q of ['0', '1', '2']) optional(byQos, q, 'summary.byQos', qosDelivery);
  optional(s, 'verdicts', 'summary', listOf(string));
  optional(s, 'capabilities', 'summary', capabilities);
  optional(s, 'backPressure', 'summary', (x, p) => field(object(x, p), 'reason', p, string));
}

function latency(l: Json, path: string): void {
  numbers(l, path, ['count', ...LATENCY_STATS]);
}

function qosDelivery(x: unknown, path: string): void {
  const d = object(x, path);
  numbers(d, path, ['expected', 'received', 'lost', 'duplicated', 'outOfOrder'], ['unsent', 'unconfirmed', 'refused', 'notEntitled', 'awayAtEnd', 'ranAs']);
  field(d, 'ok', path, boolean);
  field(d, 'verdict', path, string);
}

function interval(x: unknown, path: string): void {
  const row = object(x, path);
  numbers(
    row,
    path,
    ['t', 'sent', 'received'],
    ['acked', 'expected', 'lateSends', 'connections', 'lost', 'lostSoFar', 'intendedExpected', 'intendedUnique', 'otherRuns'],
  );
  optional(row, 'phase', path, (v, p) => oneOf(v, p, PHASES));
  optional(row, 'endToEndP50', path, nullOr(number));
  optional(row, 'endToEndP99', path, nullOr(number));
  optional(row, 'endToEndHdr', path, string);
}

function generator(g: Json): void {
  numbers(g, 'generator', ['workers', 'maxEventLoopDelayMs'], ['cpuPercentMax']);
  field(g, 'saturated', 'generator', boolean);
  optional(g, 'saturatedReason', 'generator', string);
}

function histograms(h: Json): void {
  for (const k of FIXED_HISTOGRAMS) field(h, k, 'histograms', string);
  for (const k of HISTOGRAM_KEYS) optional(h, k, 'histograms', string);
}

function threshold(x: unknown, path: string): void {
  const t = object(x, path);
  field(t, 'expression', path, string);
  field(t, 'actual', path, number);
  field(t, 'ok', path, boolean);
  optional(t, 'note', path, string);
}

function segment(x: unknown, path: string): void {
  const s = object(x, path);
  numbers(s, path, ['index', 'count']);
  for (const k of ['runId', 'scenarioHash', 'host', 'startAt']) field(s, k, path, string);
  field(
    s,
    'clockOffset',
    path,
    nullOr((v, p) => {
      const o = object(v, p);
      field(o, 'offsetMs', p, number);
      field(o, 'maxErrorMs', p, nullOr(number));
      field(o, 'source', p, string);
    }),
  );
}

function capabilities(x: unknown, path: string): void {
  const c = object(x, path);
  field(
    c,
    'probed',
    path,
    listOf((v, p) => {
      const probe = object(v, p);
      field(probe, 'feature', p, string);
      field(probe, 'offered', p, nullOr(boolean));
      field(probe, 'finding', p, string);
    }),
  );
  field(c, 'subscriptionsDowngraded', path, counts);
  numbers(c, path, ['sharedRefused', 'qos2PublishedAsQos1', 'deliveriesDowngraded']);
  field(c, 'notOffered', path, listOf(string));
}

function shareLedger(x: unknown, path: string): void {
  const l = object(x, path);
  field(
    l,
    'groups',
    path,
    listOf((v, p) => {
      const g = object(v, p);
      field(g, 'filter', p, string);
      field(g, 'classes', p, string);
    }),
  );
  field(l, 'unrecorded', path, listOf(string));
  optional(l, 'omitted', path, string);
}
