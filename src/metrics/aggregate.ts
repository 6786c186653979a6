import { qosKey, type Counters } from './counterFields.js';
import { addCounters, zeroCounters } from './counters.js';
import { addEncoded, createHistogram, encodeHistogram, summarize, type Histogram } from './histogram.js';
import type { EncodedHistograms, HistogramKey } from './histogramKeys.js';
import { addMeasurement, emptyMeasurement, encodeHistograms, measuredOf, type Measurement } from './measurement.js';
import type { IntervalRow } from './resultsFile.js';
import type { Phase, Snapshot } from './snapshot.js';
import { tailFromSec } from './tail.js';
import type { UnackedSink } from './unacked.js';

interface Bucket {
  at: number;
  phase: Phase;
  all: Counters;
  endToEnd: Histogram;
  open: Map<number, number>;
}

const PHASE_ORDER: Phase[] = ['connect', 'warmup', 'measure', 'drain', 'close'];

/**
 * Merges worker snapshots: their measured part adds up into the run's total measurement (measurement.ts, the
 * same merge `mqbench merge` uses for segments), from which the summary is computed;
 * every snapshot also lands in a one-second bucket (workers snapshot on the same aligned ticks:
 * on the connect barrier's seconds, then on publishing seconds) for the per-second series.
 */
export class Aggregator implements UnackedSink {
  /** The measured counters, histograms, connection failure reasons and in-flight window: the summary's source. */
  readonly total: Measurement = emptyMeasurement();
  readonly all: Counters = zeroCounters();
  maxEventLoopDelayMs = 0;
  maxBusyPercent = 0;
  private buckets = new Map<number, Bucket>();
  private openByWorker = new Map<number, number>();
  /** Intended second → [expected, unique received] (measured messages). */
  private intended = new Map<number, [number, number]>();

  /** The oldest subscriber stream horizon the workers reported (tail.ts), epoch ms. */
  private horizon: number | undefined;

  /** `origin`: the instant bucket keys count whole seconds from (see realign). */
  constructor(private origin: number) {}

  /** Only messages intended after warm-up (and connections). */
  get measured(): Counters {
    return this.total.counters;
  }

  get histograms(): Record<HistogramKey, Histogram> {
    return this.total.histograms;
  }

  get connectErrors(): Record<string, number> {
    return this.total.connectErrors;
  }

  /** The largest QoS 1/2 in-flight window any worker's publishers used. */
  get inflightWindow(): number {
    return this.total.inflightWindow;
  }

  set inflightWindow(window: number) {
    this.total.inflightWindow = window;
  }

  add(s: Snapshot): void {
    addMeasurement(this.total, measuredOf(s));
    addCounters(this.all, s.all);
    // The self-check judges the publishing phases: connection storms are expected to be busy.
    if (s.phase === 'warmup' || s.phase === 'measure') {
      this.maxEventLoopDelayMs = Math.max(this.maxEventLoopDelayMs, s.eventLoopDelayMaxMs);
      if (s.intervalMs > 200) this.maxBusyPercent = Math.max(this.maxBusyPercent, (100 * s.busyMs) / s.intervalMs);
    }
    this.openByWorker.set(s.workerIndex, s.openConnections);
    if (s.deliveryHorizonMs !== undefined) this.horizon = Math.min(this.horizon ?? Infinity, s.deliveryHorizonMs);
    for (const [sec, e, u] of s.byIntendedSecond) {
      const cell = this.intended.get(sec) ?? [0, 0];
      cell[0] += e;
      cell[1] += u;
      this.intended.set(sec, cell);
    }
    const b = this.bucket(this.keyOf(s.at));
    addCounters(b.all, s.all);
    addEncoded(b.endToEnd, s.intervalHistograms.endToEnd);
    b.open.set(s.workerIndex, s.openConnections);
    if (PHASE_ORDER.indexOf(s.phase) > PHASE_ORDER.indexOf(b.phase)) b.phase = s.phase;
  }

  /** An unacknowledged message nobody received (settled at the end): withdrawn from expected, in total and per intended second. */
  unconfirmed(measured: boolean, e0: number, e1: number, e2: number, intendedMs: number): void {
    this.settled('unconfirmed', measured, 1);
    ([e0, e1, e2] as const).forEach((e, q) => this.settled(qosKey(q as 0 | 1 | 2, 'Unconfirmed'), measured, e));
    const cell = measured ? this.intended.get(Math.floor((intendedMs - this.origin) / 1000)) : undefined;
    if (cell) cell[0] -= e0 + e1 + e2;
  }

  deliveredUnacked(measured: boolean): void {
    this.settled('deliveredUnacked', measured, 1);
  }

  private settled(key: keyof Counters, measured: boolean, n: number): void {
    this.all[key] += n;
    if (measured) this.total.counters[key] += n;
  }

  /** From now on count seconds from `origin` (publishing start); earlier buckets are re-keyed. */
  realign(origin: number): void {
    const old = [...this.buckets.values()];
    this.origin = origin;
    this.buckets.clear();
    for (const b of old) {
      const into = this.bucket(this.keyOf(b.at));
      addCounters(into.all, b.all);
      into.endToEnd.add(b.endToEnd);
      for (const [w, n] of b.open) into.open.set(w, n);
      if (PHASE_ORDER.indexOf(b.phase) > PHASE_ORDER.indexOf(into.phase)) into.phase = b.phase;
    }
  }

  /** A snapshot taken at `at` closes the interval ending at the nearest whole second at or after it. */
  private keyOf(at: number): number {
    return Math.ceil((at - this.origin) / 1000 - 0.25);
  }

  private bucket(key: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { at: this.origin + key * 1000, phase: 'connect', all: zeroCounters(), endToEnd: createHistogram(), open: new Map() };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** The intended second from which missing deliveries may still have been on their way (tail.ts); undefined: no receivers. */
  tailFromSec(): number | undefined {
    return this.horizon === undefined ? undefined : tailFromSec(this.horizon, this.origin);
  }

  openConnections(): number {
    let n = 0;
    for (const v of this.openByWorker.values()) n += v;
    return n;
  }

  /** The newest bucket (for live progress). */
  latest(): IntervalRow | null {
    if (this.buckets.size === 0) return null;
    const key = Math.max(...this.buckets.keys());
    return this.row(key, this.buckets.get(key)!, 0);
  }

  /**
   * One row per second; t = seconds since `origin` at the end of the interval (≤ 0 while connecting).
   * `mergeable`: also the second's encoded e2e histogram and raw loss counts (for `mqbench merge`).
   */
  intervals(mergeable = false): IntervalRow[] {
    let lostSoFar = 0;
    // Open connections are a level: a worker whose snapshot landed in a neighbouring second still has
    // its connections open in this one, so its last known level carries forward.
    const level = new Map<number, number>();
    return [...this.buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([key, b]) => {
        for (const [w, n] of b.open) level.set(w, n);
        const row = this.row(key, b, lostSoFar, level);
        lostSoFar = row.lostSoFar;
        if (!mergeable) return row;
        const [intendedExpected, intendedUnique] = this.intended.get(key - 1) ?? [0, 0];
        return { ...row, endToEndHdr: encodeHistogram(b.endToEnd), intendedExpected, intendedUnique };
      });
  }

  private row(key: number, b: Bucket, lostBefore: number, level: Map<number, number> = b.open): IntervalRow {
    const e2e = b.endToEnd.totalCount > 0 ? summarize(b.endToEnd) : null;
    const [expected, unique] = this.intended.get(key - 1) ?? [0, 0];
    const lost = Math.max(0, expected - unique);
    let open = 0;
    for (const v of level.values()) open += v;
    return {
      t: key,
      phase: b.phase,
      sent: b.all.sent,
      received: b.all.received,
      acked: b.all.acked,
      expected: b.all.expected,
      lateSends: b.all.lateSends,
      connections: open,
      endToEndP50: e2e ? e2e.p50 : null,
      endToEndP99: e2e ? e2e.p99 : null,
      lost,
      lostSoFar: lostBefore + lost,
      ...(b.all.otherRuns > 0 ? { otherRuns: b.all.otherRuns } : {}),
    };
  }

  encodedHistograms(): EncodedHistograms {
    return encodeHistograms(this.total.histograms);
  }
}
