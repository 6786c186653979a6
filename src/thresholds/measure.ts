/**
 * A threshold's metric read from a run's summary: its value, and whether there was anything to measure (a
 * latency without samples, or a count with no data behind it, proves nothing).
 */
import type { HistogramKey } from '../metrics/histogramKeys.js';
import type { Summary } from '../metrics/summary.js';
import { FIGURES } from '../metrics/summaryCatalogue.js';
import type { LatencyStat, MetricSource, Section } from './metrics.js';

/** What a metric read from a summary: its value and whether there was anything to measure. */
export interface MetricValue {
  value: number;
  /** False for a latency without samples, or a count with no data behind it: its figure proves nothing. */
  measured: boolean;
  /** Why there is no data, in words (e.g. "nothing was expected to arrive"). */
  noData?: string;
}

/** A counter that older results files may not have counts as zero. */
function numberOr0(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

function latency(summary: Summary, key: HistogramKey, stat: LatencyStat): MetricValue {
  const l = summary.latencyMs?.[key];
  if (!l || !(l.count > 0)) return { value: 0, measured: false };
  return { value: numberOr0(l[stat]), measured: true };
}

/**
 * When a count or rate has no data behind it, and why (the catalogue says what each figure needs):
 * "messages.lost == 0" proves nothing when nothing was expected to arrive (a failed TLS handshake, a crashed
 * broker, a subscriber that never subscribed), and "messages.publishErrors == 0" nothing when no publish was
 * ever due.
 */
function noData(summary: Summary, section: Section, field: string): string | undefined {
  const m = (summary.messages ?? {}) as unknown as Record<string, unknown>;
  const c = (summary.connections ?? {}) as unknown as Record<string, unknown>;
  const evidence = FIGURES[section][field]?.evidence ?? 'connected';
  if (numberOr0(c.attempted) === 0) return 'no connection was attempted';
  if (evidence === 'attempts') return undefined;
  if (numberOr0(c.succeeded) === 0) return 'no connection succeeded';
  const expected = numberOr0(m.expected);
  const received = numberOr0(m.received);
  const due = numberOr0(m.sent) + numberOr0(m.missedSends) + numberOr0(m.publishErrors) + numberOr0(m.unsent);
  const nothingExpected = 'nothing was expected to arrive (nothing sent, or no subscription in place)';
  switch (evidence) {
    case 'expectations':
      return expected === 0 ? nothingExpected : undefined;
    case 'deliveries':
      return expected === 0 && received === 0 ? nothingExpected : undefined;
    case 'publishes':
      return due === 0 ? 'no publish was due' : undefined;
    case 'sends':
      return numberOr0(m.sent) === 0 ? 'nothing was sent' : undefined;
    case 'connected':
      return undefined;
  }
}

function counter(summary: Summary, section: Section, field: string): MetricValue {
  const values = summary[section] as unknown as Record<string, unknown> | undefined;
  const value = numberOr0(values?.[field]);
  const why = noData(summary, section, field);
  return why ? { value, measured: false, noData: why } : { value, measured: true };
}

/** The value of the metric found at `source` in `summary`. */
export function measure(summary: Summary, source: MetricSource): MetricValue {
  return source.kind === 'latency' ? latency(summary, source.histogram, source.stat) : counter(summary, source.section, source.field);
}
