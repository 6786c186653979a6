import type { Clock } from '../shared/clock.js';
import { zeroCounters } from './counters.js';
import { createHistogram, encodeHistogram, recordMs, type Histogram } from './histogram.js';
import { HISTOGRAM_KEYS, qosKey, type Counters, type EncodedHistograms, type HistogramKey, type Phase, type Snapshot } from './types.js';
import type { UnackedSink } from './unacked.js';

type HistogramSet = Record<HistogramKey, Histogram>;

const histogramSet = (): HistogramSet => Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, createHistogram()])) as HistogramSet;

/** An empty histogram goes as '' (what the readers take as empty): no compression for what was not used. */
function encodeAndReset(set: HistogramSet): EncodedHistograms {
  const out = {} as EncodedHistograms;
  for (const k of HISTOGRAM_KEYS) {
    const h = set[k];
    if (h.totalCount === 0) out[k] = '';
    else {
      out[k] = encodeHistogram(h);
      h.reset();
    }
  }
  return out;
}

/** Per-thread self-check figures sampled at snapshot time. */
export interface SelfCheck {
  eventLoopDelayMaxMs: number;
  eventLoopDelayP99Ms: number;
  busyMs: number;
  intervalMs: number;
}

/** What the recorder reads of the run's timeline (a plan/timeline.ts TimelineView): when publishing started. */
export interface PublishingStart {
  readonly current: { readonly t0: number };
}

/**
 * One worker's measurements between two snapshots. Every count and latency goes to the
 * "all" set (per-second series) and, when it belongs to the measured window, to the
 * "measured" set (the summary). Connection figures are always measured.
 */
export class Recorder implements UnackedSink {
  private all = zeroCounters();
  private measured = zeroCounters();
  private allH = histogramSet();
  private measuredH = histogramSet();
  private connectErrors: Record<string, number> = {};
  private intended = new Map<number, [number, number]>();
  /** The cell of the second intendedSecond() last counted in (null after a snapshot took the cells). */
  private lastSecond = Number.NaN;
  private lastCell: [number, number] | null = null;
  /** The largest QoS 1/2 in-flight window in use (a level, reported with every snapshot). */
  inflightWindow = 0;

  /** `timeline`: intended seconds count from its t0 (publishing start). */
  constructor(
    private readonly workerIndex: number,
    private readonly timeline: PublishingStart,
  ) {}

  /** Publishing start (epoch ms; Infinity before it). */
  get t0(): number {
    return this.timeline.current.t0;
  }

  count(key: keyof Counters, measured: boolean, n = 1): void {
    this.all[key] += n;
    if (measured) this.measured[key] += n;
  }

  /** A slot is due (the hot path of every slot: plain property access, not count()'s keyed one). */
  planned(measured: boolean): void {
    this.all.planned++;
    if (measured) this.measured.planned++;
  }

  /**
   * The hot path of a send, in one call with plain property access (several `count` calls per
   * message showed up in CPU profiles): sent, expected by delivery QoS, in-window, late.
   */
  sentMessage(measured: boolean, inWindow: boolean, late: boolean, e0: number, e1: number, e2: number): void {
    bumpSent(this.all, late, e0, e1, e2);
    if (measured) bumpSent(this.measured, late, e0, e1, e2);
    if (inWindow) {
      this.all.sentInWindow++;
      this.measured.sentInWindow++;
    }
  }

  /**
   * The hot path of a delivery the ledger took (not an extra copy), in one call with plain property access:
   * received, in-window, and (when not a duplicate) unique at class q and out of order. A duplicate's own
   * counts (duplicated, by class) stay with count().
   */
  receivedMessage(measured: boolean, inWindow: boolean, unique: boolean, q: number, outOfOrder: boolean): void {
    bumpReceived(this.all, unique, q, outOfOrder);
    if (measured) bumpReceived(this.measured, unique, q, outOfOrder);
    if (inWindow) {
      this.all.receivedInWindow++;
      this.measured.receivedInWindow++;
    }
  }

  /** A slot unsent at once (not connected, backlog full): unsent, and a publish error (plain property access: per slot under overload). */
  unsentAtOnce(measured: boolean): void {
    this.all.unsent++;
    this.all.publishErrors++;
    if (measured) {
      this.measured.unsent++;
      this.measured.publishErrors++;
    }
  }

  /** A slot sent late after it waited for room (per message under overload). */
  waitedSend(measured: boolean): void {
    this.all.waitedSends++;
    if (measured) this.measured.waitedSends++;
  }

  /** A message that waited for room until the run (or its connection) ended, for `waitMs`. */
  waitedToEnd(measured: boolean, waitMs: number): void {
    this.all.waitingAtEnd++;
    if (measured) this.measured.waitingAtEnd++;
    this.latency('unsentWait', waitMs, measured);
  }

  /** A slot still waiting when the run ended: unsent, after waiting `waitMs` (per slot of every backlog at the end). */
  unsentAtEnd(measured: boolean, waitMs: number): void {
    this.all.unsent++;
    if (measured) this.measured.unsent++;
    this.waitedToEnd(measured, waitMs);
  }

  latency(key: HistogramKey, ms: number, measured: boolean): void {
    recordMs(this.allH[key], ms);
    if (measured) recordMs(this.measuredH[key], ms);
  }

  /** Measured deliveries expected for a message intended at `intendedMs`, or one unique arrival of it. */
  intendedSecond(intendedMs: number, expected: number, unique: number): void {
    const s = Math.floor((intendedMs - this.timeline.current.t0) / 1000);
    // Consecutive messages are mostly intended in the same second: its cell without a Map lookup.
    let cell = s === this.lastSecond ? this.lastCell : this.intended.get(s);
    if (cell === undefined || cell === null) this.intended.set(s, (cell = [0, 0]));
    cell[0] += expected;
    cell[1] += unique;
    this.lastSecond = s;
    this.lastCell = cell;
  }

  /**
   * A sent message's deliveries are no longer expected: it was never written ('Unsent'), never acknowledged
   * nor received ('Unconfirmed'), or refused ('Refused'). Withdrawn by delivery QoS and from its intended second.
   */
  withdraw(why: 'Unsent' | 'Unconfirmed' | 'Refused', measured: boolean, e0: number, e1: number, e2: number, intendedMs: number): void {
    this.count(qosKey(0, why), measured, e0);
    this.count(qosKey(1, why), measured, e1);
    this.count(qosKey(2, why), measured, e2);
    if (measured && e0 + e1 + e2 > 0) this.intendedSecond(intendedMs, -(e0 + e1 + e2), 0);
  }

  unconfirmed(measured: boolean, e0: number, e1: number, e2: number, intendedMs: number): void {
    this.count('unconfirmed', measured);
    this.withdraw('Unconfirmed', measured, e0, e1, e2, intendedMs);
  }

  deliveredUnacked(measured: boolean): void {
    this.count('deliveredUnacked', measured);
  }

  connectFailed(reason: string): void {
    this.count('connFailed', true);
    this.problem(reason);
  }

  /** Count a connection problem by its reason (connect failures, losses, failed reconnects). */
  problem(reason: string): void {
    this.connectErrors[reason] = (this.connectErrors[reason] ?? 0) + 1;
  }

  /** Everything since the previous snapshot; resets the interval state. */
  snapshot(clock: Clock, phase: Phase, openConnections: number, self: SelfCheck): Snapshot {
    const snap: Snapshot = {
      workerIndex: this.workerIndex,
      at: clock.now(),
      phase,
      all: this.all,
      measured: this.measured,
      intervalHistograms: encodeAndReset(this.allH),
      measuredHistograms: encodeAndReset(this.measuredH),
      connectErrors: this.connectErrors,
      openConnections,
      byIntendedSecond: [...this.intended].map(([s, [e, u]]) => [s, e, u]),
      inflightWindow: this.inflightWindow,
      ...self,
    };
    this.intended.clear();
    this.lastCell = null;
    this.lastSecond = Number.NaN;
    this.all = zeroCounters();
    this.measured = zeroCounters();
    this.connectErrors = {};
    return snap;
  }
}

function bumpReceived(c: Counters, unique: boolean, q: number, outOfOrder: boolean): void {
  c.received++;
  if (!unique) return;
  if (q === 0) c.q0Unique++;
  else if (q === 1) c.q1Unique++;
  else c.q2Unique++;
  if (outOfOrder) {
    c.outOfOrder++;
    if (q === 0) c.q0OutOfOrder++;
    else if (q === 1) c.q1OutOfOrder++;
    else c.q2OutOfOrder++;
  }
}

function bumpSent(c: Counters, late: boolean, e0: number, e1: number, e2: number): void {
  c.sent++;
  c.expected += e0 + e1 + e2;
  c.q0Expected += e0;
  c.q1Expected += e1;
  c.q2Expected += e2;
  if (late) c.lateSends++;
}
