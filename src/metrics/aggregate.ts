import { addCounters, zeroCounters } from './counters.js';
import { addEncoded, createHistogram, encodeHistogram, summarize, type Histogram } from './histogram.js';
import { HISTOGRAM_KEYS, type Counters, type HistogramKey, type IntervalRow, type Phase, type Snapshot } from './types.js';

interface Bucket {
  at: number;
  phase: Phase;
  all: Counters;
  endToEnd: Histogram;
  open: Map<number, number>;
}

/**
 * Merges worker snapshots: measured counters and histograms add up into the summary totals;
 * every snapshot also lands in a one-second bucket (workers snapshot on the same aligned ticks)
 * for the per-second series.
 */
export class Aggregator {
  readonly measured: Counters = zeroCounters();
  readonly all: Counters = zeroCounters();
  readonly histograms: Record<HistogramKey, Histogram> = Object.fromEntries(
    HISTOGRAM_KEYS.map((k) => [k, createHistogram()]),
  ) as Record<HistogramKey, Histogram>;
  readonly connectErrors: Record<string, number> = {};
  maxEventLoopDelayMs = 0;
  maxBusyPercent = 0;
  private buckets = new Map<number, Bucket>();
  private openByWorker = new Map<number, number>();

  /** `origin`: the connect barrier instant; buckets are whole seconds after it. */
  constructor(private readonly origin: number) {}

  add(s: Snapshot): void {
    addCounters(this.measured, s.measured);
    addCounters(this.all, s.all);
    for (const k of HISTOGRAM_KEYS) addEncoded(this.histograms[k], s.measuredHistograms[k]);
    for (const [reason, n] of Object.entries(s.connectErrors)) this.connectErrors[reason] = (this.connectErrors[reason] ?? 0) + n;
    // The self-check judges the publishing phases: connection storms are expected to be busy.
    if (s.phase === 'warmup' || s.phase === 'measure') {
      this.maxEventLoopDelayMs = Math.max(this.maxEventLoopDelayMs, s.eventLoopDelayMaxMs);
      if (s.intervalMs > 200) this.maxBusyPercent = Math.max(this.maxBusyPercent, (100 * s.busyMs) / s.intervalMs);
    }
    this.openByWorker.set(s.workerIndex, s.openConnections);

    const key = Math.ceil((s.at - this.origin) / 1000 - 0.25);
    let b = this.buckets.get(key);
    if (!b) {
      b = { at: this.origin + key * 1000, phase: s.phase, all: zeroCounters(), endToEnd: createHistogram(), open: new Map() };
      this.buckets.set(key, b);
    }
    addCounters(b.all, s.all);
    addEncoded(b.endToEnd, s.intervalHistograms.endToEnd);
    b.open.set(s.workerIndex, s.openConnections);
    if (s.phase !== 'connect') b.phase = s.phase;
  }

  openConnections(): number {
    let n = 0;
    for (const v of this.openByWorker.values()) n += v;
    return n;
  }

  /** The newest bucket (for live progress). */
  latest(): IntervalRow | null {
    const keys = [...this.buckets.keys()];
    if (keys.length === 0) return null;
    return this.row(this.buckets.get(Math.max(...keys))!, 0);
  }

  /** One row per second; t is seconds since `publishStart` (negative while connecting). */
  intervals(publishStart: number): IntervalRow[] {
    return [...this.buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => this.row(b, publishStart));
  }

  private row(b: Bucket, publishStart: number): IntervalRow {
    const e2e = b.endToEnd.totalCount > 0 ? summarize(b.endToEnd) : null;
    let open = 0;
    for (const v of b.open.values()) open += v;
    return {
      t: publishStart ? Math.round((b.at - publishStart) / 100) / 10 : 0,
      phase: b.phase,
      sent: b.all.sent,
      received: b.all.received,
      acked: b.all.acked,
      expected: b.all.expected,
      lateSends: b.all.lateSends,
      connections: open,
      endToEndP50: e2e ? e2e.p50 : null,
      endToEndP99: e2e ? e2e.p99 : null,
    };
  }

  encodedHistograms(): Record<HistogramKey, string> {
    return Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, encodeHistogram(this.histograms[k])])) as Record<HistogramKey, string>;
  }
}
