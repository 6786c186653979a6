/**
 * The catalogue of a summary's figures: every numeric field of `summary.connections`, `summary.messages` and
 * `summary.throughput` with its kind (a count or a rate), whether a threshold may name it
 * (`messages.lost < 1`) and its label in the terminal table; and every latency histogram with its
 * Prometheus `kind` label and table label. Threshold names (thresholds/metrics.ts), the Prometheus latency
 * labels and the table's labels derive from here; a summary field without an entry fails to compile.
 * The counters behind the figures are catalogue.ts.
 */
import type { HistogramKey } from './histogramKeys.js';
import type { LatencySummary, Summary } from './summary.js';

export type FigureKind = 'count' | 'rate';

/**
 * What must have happened for a figure to mean something (a threshold on it otherwise proves nothing):
 * `attempts` a connection attempt; `connected` a connection; `deliveries` something expected or received;
 * `expectations` something expected; `publishes` a publish due; `sends` a message sent.
 */
export type Evidence = 'attempts' | 'connected' | 'deliveries' | 'expectations' | 'publishes' | 'sends';

export interface FigureSpec {
  kind: FigureKind;
  /** Whether a threshold may name it (`<section>.<field>`). */
  threshold: boolean;
  /** Its label in the terminal summary table. */
  label: string;
  evidence: Evidence;
}

/** The keys of T whose values are numbers (optional ones included). */
type NumericKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];

const count = (label: string, evidence: Evidence = 'connected', threshold = true): FigureSpec => ({ kind: 'count', threshold, label, evidence });
const conn = (label: string, threshold = true): FigureSpec => count(label, 'attempts', threshold);

export const CONNECTION_FIGURES = {
  attempted: conn('attempted'),
  succeeded: conn('succeeded'),
  failed: conn('failed'),
  lost: conn('lost'),
  reconnected: conn('reconnected'),
  reconnectAttempts: conn('reconnect attempts'),
  subscribeFailed: conn('subscribe failed'),
  dropped: conn('dropped by events', false),
  droppedBack: conn('came back', false),
  churned: conn('churned (lifetime ended)', false),
  churnedBack: conn('churned and came back', false),
  sessionsResumed: conn('sessions resumed'),
  sessionsLost: conn('sessions lost'),
} satisfies Record<NumericKeys<Summary['connections']>, FigureSpec>;

export const MESSAGE_FIGURES = {
  sent: count('sent', 'publishes'),
  acked: count('acked', 'publishes'),
  received: count('received', 'deliveries'),
  expected: count('expected', 'deliveries'),
  lost: count('lost', 'expectations'),
  duplicated: count('duplicated', 'deliveries'),
  outOfOrder: count('out-of-order', 'deliveries'),
  lateSends: count('late sends', 'publishes'),
  missedSends: count('missed sends', 'publishes'),
  publishErrors: count('publish errors', 'publishes'),
  foreign: count('foreign (not this run)'),
  notOffered: count('not offered by the broker'),
  retainedNotOffered: count('retained not offered'),
  planned: count('planned'),
  unsent: count('unsent'),
  waitingAtEnd: count('waiting at the end'),
  unconfirmed: count('unconfirmed'),
  accepted: count('accepted'),
  refused: count('refused'),
  waitedSends: count('waited for room'),
  inflightWindow: count('in-flight window'),
  notEntitled: count('not entitled (session ended)'),
  awayAtEnd: count('queued for away sessions at end'),
  extraCopies: count('extra copies (overlapping subs)'),
  unverifiable: count('unverifiable (ledger bound)'),
  receivedNoHeader: count('without header (not checked)', 'connected', false),
  otherRuns: count('from other mqbench runs (timed, not checked)'),
  unexpected: count('outside subscription', 'connected', false),
  retainedExpected: count('retained expected', 'connected', false),
  retainedReceived: count('retained received', 'connected', false),
  responsesSent: count('responses sent', 'connected', false),
  responsesReceived: count('responses received', 'connected', false),
} satisfies Record<NumericKeys<Summary['messages']>, FigureSpec>;

export const THROUGHPUT_FIGURES = {
  sentPerSec: { kind: 'rate', threshold: true, label: 'send rate', evidence: 'sends' },
  receivedPerSec: { kind: 'rate', threshold: true, label: 'receive rate', evidence: 'deliveries' },
} satisfies Record<NumericKeys<Summary['throughput']>, FigureSpec>;

/** A summary section whose figures are catalogued. */
export type Section = 'connections' | 'messages' | 'throughput';

export const FIGURES: { readonly [S in Section]: Readonly<Record<string, FigureSpec>> } = {
  connections: CONNECTION_FIGURES,
  messages: MESSAGE_FIGURES,
  throughput: THROUGHPUT_FIGURES,
};

/** The fields of a section that a threshold may name, in catalogue order. */
export function thresholdFields(section: Section): string[] {
  return Object.entries(FIGURES[section])
    .filter(([, f]) => f.threshold)
    .map(([k]) => k);
}

/** The statistics of a latency histogram a summary records and a threshold may name (`endToEnd.p99`). */
export const LATENCY_STATS = ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'] as const satisfies readonly (keyof LatencySummary)[];
export type LatencyStat = (typeof LATENCY_STATS)[number];

export interface HistogramSpec {
  /** The `kind` label of the Prometheus latency series (snake_case by custom). */
  prometheusKind: string;
  /** Its row label in the terminal latency table. */
  label: string;
  /** Shown in the table only when it has samples (a feature not every scenario uses). */
  onlyWhenUsed: boolean;
}

/** Every latency histogram; each is threshold-addressable with every statistic (`endToEnd.p99`). */
export const HISTOGRAM_CATALOGUE = {
  connect: { prometheusKind: 'connect', label: 'connect', onlyWhenUsed: false },
  publishAck: { prometheusKind: 'publish_ack', label: 'publish→ack', onlyWhenUsed: false },
  endToEnd: { prometheusKind: 'end_to_end', label: 'end-to-end (from intended send)', onlyWhenUsed: false },
  endToEndUncorrected: { prometheusKind: 'end_to_end_uncorrected', label: 'end-to-end (uncorrected)', onlyWhenUsed: false },
  reconnect: { prometheusKind: 'reconnect', label: 'reconnect (loss → CONNACK)', onlyWhenUsed: true },
  requestResponse: { prometheusKind: 'request_response', label: 'request → response', onlyWhenUsed: true },
  unsentWait: { prometheusKind: 'unsent_wait', label: 'unsent: waited until the end', onlyWhenUsed: true },
  connectFromSlot: { prometheusKind: 'connect_from_slot', label: 'connect, from its paced slot', onlyWhenUsed: true },
} satisfies Record<HistogramKey, HistogramSpec>;
