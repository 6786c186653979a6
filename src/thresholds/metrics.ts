/**
 * The metrics a threshold may name ("endToEnd.p99", "messages.lost", "throughput.receivedPerSec") and what kind
 * of value each is (latency in ms, a count, a rate per second), with hints for names that are not among them.
 * The fields and their kinds come from the summary catalogue (metrics/summaryCatalogue.ts). How a metric is
 * read from a run's summary is measure.ts.
 */
import { didYouMean } from '../shared/didyoumean.js';
import { HISTOGRAM_KEYS, type HistogramKey } from '../metrics/histogramKeys.js';
import { FIGURES, LATENCY_STATS, thresholdFields, type FigureKind, type LatencyStat, type Section } from '../metrics/summaryCatalogue.js';

export type MetricKind = 'latency' | FigureKind;

export { LATENCY_STATS, type LatencyStat };

/** The summary fields a threshold may name, per section: those the summary catalogue marks threshold-addressable. */
export const MESSAGE_FIELDS: readonly string[] = thresholdFields('messages');
export const CONNECTION_FIELDS: readonly string[] = thresholdFields('connections');
export const THROUGHPUT_FIELDS: readonly string[] = thresholdFields('throughput');

export type { Section };

/** Where a metric lives in a summary: a statistic of a latency histogram, or a field of a section. */
export type MetricSource = { kind: 'latency'; histogram: HistogramKey; stat: LatencyStat } | { kind: 'field'; section: Section; field: string };

/** A metric by name: the dotted path as the user writes it, its kind, and where it is read from. */
export interface MetricName {
  path: string;
  kind: MetricKind;
  source: MetricSource;
}

const field =
  (section: Section) =>
  (f: string): MetricName => ({ path: `${section}.${f}`, kind: FIGURES[section][f].kind, source: { kind: 'field', section, field: f } });

const METRICS: ReadonlyMap<string, MetricName> = new Map(
  [
    ...HISTOGRAM_KEYS.flatMap((k) =>
      LATENCY_STATS.map((s): MetricName => ({ path: `${k}.${s}`, kind: 'latency', source: { kind: 'latency', histogram: k, stat: s } })),
    ),
    ...MESSAGE_FIELDS.map(field('messages')),
    ...CONNECTION_FIELDS.map(field('connections')),
    ...THROUGHPUT_FIELDS.map(field('throughput')),
  ].map((m) => [m.path, m]),
);

/** Every metric path a threshold may use. */
export const METRIC_PATHS: readonly string[] = [...METRICS.keys()];

export function findMetric(path: string): MetricName | undefined {
  return METRICS.get(path);
}

/** The unit a metric's value is shown in: "ms", "/s" or "" for counts. */
export function unitOf(kind: MetricKind): string {
  switch (kind) {
    case 'latency':
      return 'ms';
    case 'rate':
      return '/s';
    case 'count':
      return '';
  }
}

const FIELDS_OF: Record<string, readonly string[]> = {
  ...Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, LATENCY_STATS])),
  messages: MESSAGE_FIELDS,
  connections: CONNECTION_FIELDS,
  throughput: THROUGHPUT_FIELDS,
};

/** Names for latency statistics that people write out of habit. */
const STAT_ALIASES: Record<string, LatencyStat> = { median: 'p50', avg: 'mean', average: 'mean', 'p99.9': 'p999', p100: 'max' };

/** The one field that starts with `prefix` ("received" → "receivedPerSec"), if exactly one does. */
function onlyStartingWith(prefix: string, fields: readonly string[]): string | undefined {
  const found = fields.filter((f) => f.toLowerCase().startsWith(prefix.toLowerCase()));
  return found.length === 1 ? found[0] : undefined;
}

/**
 * A hint for an unknown metric: a habitual stat name ("endToEnd.median" → endToEnd.p50), a did-you-mean for
 * the whole path, then for each half on its own ("throughput.received" → receivedPerSec), else what the
 * metrics look like.
 */
export function metricHint(path: string): string {
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const tail = dot < 0 ? '' : path.slice(dot + 1);
  const heads = Object.keys(FIELDS_OF);
  const knownHead = FIELDS_OF[head] ? head : didYouMean(head, heads);
  const alias = knownHead && FIELDS_OF[knownHead] === LATENCY_STATS ? STAT_ALIASES[tail.toLowerCase()] : undefined;
  const guess = alias ? `${knownHead}.${alias}` : didYouMean(path, METRIC_PATHS);
  if (guess) return `did you mean "${guess}"?`;
  if (knownHead) {
    const fields = FIELDS_OF[knownHead];
    const field = fields.includes(tail) ? tail : tail ? (didYouMean(tail, fields) ?? onlyStartingWith(tail, fields)) : undefined;
    if (field) return `did you mean "${knownHead}.${field}"?`;
    return `${knownHead} has: ${fields.join(', ')}`;
  }
  return `metrics are <${HISTOGRAM_KEYS.join('|')}>.<${LATENCY_STATS.join('|')}>, messages.<field>, connections.<field> or throughput.<sentPerSec|receivedPerSec>`;
}
