/**
 * The metrics a threshold may name ("endToEnd.p99", "messages.lost", "throughput.receivedPerSec"), what kind
 * of value each is (latency in ms, a count, a rate per second) and how to read it from a Summary.
 */
import { didYouMean } from '../scenario/didyoumean.js';
import { HISTOGRAM_KEYS, type HistogramKey, type Summary } from './types.js';

export type MetricKind = 'latency' | 'count' | 'rate';

export const LATENCY_STATS = ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'] as const;
type LatencyStat = (typeof LATENCY_STATS)[number];

const MESSAGE_FIELDS = [
  'sent', 'acked', 'received', 'expected', 'lost', 'duplicated', 'outOfOrder',
  'lateSends', 'missedSends', 'publishErrors', 'foreign',
  'notOffered', 'retainedNotOffered',
  'planned', 'unsent', 'waitingAtEnd', 'unconfirmed', 'accepted', 'refused', 'waitedSends', 'inflightWindow',
  'notEntitled', 'awayAtEnd', 'extraCopies', 'unverifiable',
] as const satisfies readonly (keyof Summary['messages'])[];

const CONNECTION_FIELDS = [
  'attempted', 'succeeded', 'failed', 'lost', 'reconnected', 'reconnectAttempts', 'subscribeFailed',
] as const satisfies readonly (keyof Summary['connections'])[];

const THROUGHPUT_FIELDS = ['sentPerSec', 'receivedPerSec'] as const satisfies readonly (keyof Summary['throughput'])[];

/** What a metric read from a summary: its value and whether there was anything to measure. */
export interface MetricValue {
  value: number;
  /** False for a latency without samples, or a count with no data behind it: its figure proves nothing. */
  measured: boolean;
  /** Why there is no data, in words (e.g. "nothing was expected to arrive"). */
  noData?: string;
}

export interface MetricRef {
  /** The dotted path as the user writes it, e.g. "endToEnd.p99". */
  path: string;
  kind: MetricKind;
  read(summary: Summary): MetricValue;
}

/** A counter that older results files may not have counts as zero. */
function numberOr0(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

function latencyMetric(key: HistogramKey, stat: LatencyStat): MetricRef {
  return {
    path: `${key}.${stat}`,
    kind: 'latency',
    read(summary) {
      const l = summary.latencyMs?.[key];
      if (!l || !(l.count > 0)) return { value: 0, measured: false };
      return { value: numberOr0(l[stat]), measured: true };
    },
  };
}

/**
 * When a count or rate has no data behind it, and why: "messages.lost == 0" proves nothing when nothing was
 * expected to arrive (a failed TLS handshake, a crashed broker, a subscriber that never subscribed), and
 * "messages.publishErrors == 0" nothing when no publish was ever due.
 */
function noData(summary: Summary, section: 'messages' | 'connections' | 'throughput', field: string): string | undefined {
  const m = (summary.messages ?? {}) as unknown as Record<string, unknown>;
  const c = (summary.connections ?? {}) as unknown as Record<string, unknown>;
  if (numberOr0(c.attempted) === 0) return 'no connection was attempted';
  if (section === 'connections') return undefined;
  if (numberOr0(c.succeeded) === 0) return 'no connection succeeded';
  const expected = numberOr0(m.expected);
  const received = numberOr0(m.received);
  const due = numberOr0(m.sent) + numberOr0(m.missedSends) + numberOr0(m.publishErrors) + numberOr0(m.unsent);
  if (DELIVERY_FIELDS.has(`${section}.${field}`)) {
    if (field === 'lost' ? expected === 0 : expected === 0 && received === 0) return 'nothing was expected to arrive (nothing sent, or no subscription in place)';
  } else if (PUBLISH_FIELDS.has(`${section}.${field}`) && due === 0) return 'no publish was due';
  else if (field === 'sentPerSec' && numberOr0(m.sent) === 0) return 'nothing was sent';
  return undefined;
}

const DELIVERY_FIELDS = new Set(['messages.received', 'messages.expected', 'messages.lost', 'messages.duplicated', 'messages.outOfOrder', 'throughput.receivedPerSec']);
const PUBLISH_FIELDS = new Set(['messages.sent', 'messages.acked', 'messages.lateSends', 'messages.missedSends', 'messages.publishErrors']);

function fieldMetric(section: 'messages' | 'connections' | 'throughput', field: string, kind: MetricKind): MetricRef {
  return {
    path: `${section}.${field}`,
    kind,
    read(summary) {
      const values = summary[section] as unknown as Record<string, unknown> | undefined;
      const why = noData(summary, section, field);
      return why ? { value: numberOr0(values?.[field]), measured: false, noData: why } : { value: numberOr0(values?.[field]), measured: true };
    },
  };
}

const METRICS: ReadonlyMap<string, MetricRef> = new Map(
  [
    ...HISTOGRAM_KEYS.flatMap((k) => LATENCY_STATS.map((s) => latencyMetric(k, s))),
    ...MESSAGE_FIELDS.map((f) => fieldMetric('messages', f, 'count')),
    ...CONNECTION_FIELDS.map((f) => fieldMetric('connections', f, 'count')),
    ...THROUGHPUT_FIELDS.map((f) => fieldMetric('throughput', f, 'rate')),
  ].map((m) => [m.path, m]),
);

/** Every metric path a threshold may use. */
export const METRIC_PATHS: readonly string[] = [...METRICS.keys()];

export function findMetric(path: string): MetricRef | undefined {
  return METRICS.get(path);
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
    const field = fields.includes(tail) ? tail : tail ? didYouMean(tail, fields) ?? onlyStartingWith(tail, fields) : undefined;
    if (field) return `did you mean "${knownHead}.${field}"?`;
    return `${knownHead} has: ${fields.join(', ')}`;
  }
  return `metrics are <${HISTOGRAM_KEYS.join('|')}>.<${LATENCY_STATS.join('|')}>, messages.<field>, connections.<field> or throughput.<sentPerSec|receivedPerSec>`;
}
