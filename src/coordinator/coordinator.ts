import { Aggregator } from '../metrics/aggregate.js';
import { warmHistogramCodec } from '../metrics/histogram.js';
import { SeqBitmap } from '../metrics/seqBitmap.js';
import { settleUnacked } from '../metrics/unacked.js';
import { redactUrl } from '../scenario/redact.js';
import type { IntervalView, RunOutcome, RunTimeline } from '../metrics/outcome.js';
import type { RunStatus } from '../metrics/types.js';
import type { RunPlan } from '../plan/plan.js';
import type { Clock } from '../shared/clock.js';
import { WorkerPool } from './pool.js';
import { drain, quiesceAt, sleepUntil } from './drain.js';
import { armRemoteReceivers } from './remote.js';
import { timelineOf } from '../plan/timeline.js';
import { allocateLedger, type LedgerBuffers } from './ledgerBuffers.js';

export interface RunOptions {
  plan: RunPlan;
  driver: string;
  clock: Clock;
  /** Called about once a second with the run so far, and once more (`final`) when every final snapshot is in. */
  onInterval?: (view: IntervalView) => void;
  /** Aborting (Ctrl-C) stops the run at once; what was measured is kept, status "partial". */
  signal?: AbortSignal;
  workerEntry?: URL;
  /**
   * Epoch ms at which publishing begins (--start-at; shared by the segments of a distributed run).
   * Connecting starts at once; a connect phase that runs past it fails the run. Default: when connected.
   */
  startAt?: number;
  /**
   * A start barrier shared with other processes (`run --processes`): called once every worker is connected,
   * resolves with the epoch ms at which publishing begins. Instead of startAt.
   */
  startGate?: () => Promise<number>;
}

const DEFAULT_ENTRY = new URL('../worker/entry.js', import.meta.url);
const THREAD_BARRIER_LEAD_MS = 50;

class Aborted extends Error {}

/** Runs a plan on worker threads: barrier, connect, publish, drain, stop; merges every snapshot. */
export async function runPlan(opts: RunOptions): Promise<RunOutcome> {
  const run = new Run(opts);
  try {
    await run.connect();
    const problem = run.connectProblem();
    if (problem) run.fail(problem);
    else await run.publish();
  } catch (err) {
    run.interrupted(err);
  } finally {
    run.clearTimers();
  }
  return run.stop();
}

/** One run's state: the pool, the merged measurement, the instants reached, and how it ended. */
class Run {
  private readonly plan: RunPlan;
  private readonly clock: Clock;
  private readonly startedAt = new Date();
  private readonly shared: SharedArrayBuffer;
  private readonly delivered: SeqBitmap;
  private readonly ledger: LedgerBuffers;
  private readonly pool: WorkerPool;
  private readonly aborted: Promise<never>;
  private readonly unacked: Float64Array[] = [];
  private readonly times: RunTimeline = { connectAt: 0, connectedAt: 0, publishStart: 0, measureFrom: 0, measureEnd: 0 };
  private agg: Aggregator;
  private status: RunStatus = 'complete';
  private reason: string | undefined;
  private timers: unknown[] = [];
  private progressTimer: unknown = null;

  constructor(private readonly opts: RunOptions) {
    const { plan, clock } = opts;
    this.plan = plan;
    this.clock = clock;
    this.shared = new SharedArrayBuffer(Math.max(1, plan.totals.subscriptionSlots));
    this.delivered = new SeqBitmap(plan.seqLayout);
    this.ledger = allocateLedger(plan);
    this.pool = new WorkerPool(plan.workers, opts.driver, opts.workerEntry ?? DEFAULT_ENTRY, {
      receivable: this.shared,
      delivered: this.delivered.buffer as SharedArrayBuffer,
      ledger: this.ledger,
    });
    this.agg = new Aggregator(clock.now());
    this.aborted = new Promise<never>((_, reject) => {
      if (opts.signal?.aborted) reject(new Aborted('interrupted'));
      opts.signal?.addEventListener('abort', () => reject(new Aborted('interrupted')), { once: true });
    });
    this.aborted.catch(() => undefined);
    this.pool.onSnapshot = (m) => {
      this.agg.add(m.snapshot);
      if (m.type === 'final' && m.unacked) this.unacked.push(m.unacked);
    };
  }

  /** Resolves with `p`, or rejects as soon as the user interrupts or a worker fails. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.aborted, this.pool.failedPromise]);
  }

  private view(final: boolean): IntervalView {
    const now = this.clock.now();
    const sc = this.plan.scenario;
    const t0 = this.times.publishStart;
    return {
      at: now,
      phase: this.agg.latest()?.phase ?? 'connect',
      elapsedSec: t0 ? Math.max(0, (now - t0) / 1000) : 0,
      totalSec: (sc.warmupMs + sc.durationMs) / 1000,
      plannedClients: this.plan.totals.clients,
      agg: this.agg,
      final,
    };
  }

  /** Every second from the connect barrier on: the reporters' view. */
  private tick(): void {
    this.opts.onInterval?.(this.view(false));
    this.progressTimer = this.clock.setTimeout(() => this.tick(), 1000);
  }

  /** Barrier: every worker ready, then all connect from one instant; resolves once every worker is connected. */
  async connect(): Promise<void> {
    warmHistogramCodec(); // while the threads start: not on the first snapshot's arrival
    await this.guard(this.pool.waitAll('ready'));
    const at = this.clock.now() + THREAD_BARRIER_LEAD_MS;
    this.times.connectAt = at;
    this.agg = new Aggregator(at);
    this.pool.broadcast({ type: 'connect', at });
    this.progressTimer = this.clock.setTimeout(() => this.tick(), 1000);
    await this.guard(this.pool.waitAll('connected'));
    this.times.connectedAt = this.clock.now();
  }

  /** Why publishing must not start: no connection at all, or a connect phase that ran past --start-at. */
  connectProblem(): string | null {
    const { startAt } = this.opts;
    if (this.agg.measured.connSucceeded === 0)
      return `no connection to ${redactUrl(this.plan.scenario.target.url)} succeeded (${topReasons(this.agg.connectErrors)})`;
    const now = this.clock.now();
    if (startAt !== undefined && now > startAt) {
      return `the connect phase ran past --start-at ${new Date(startAt).toISOString()} by ${Math.round(now - startAt)} ms: start later, or connect faster (connect.rate, fewer clients per segment)`;
    }
    return null;
  }

  fail(reason: string): void {
    this.status = 'failed';
    this.reason = reason;
  }

  /** From t0 (the start barrier, --start-at or the next instant): publish, hold the window, drain. */
  async publish(): Promise<void> {
    const { opts, clock, plan, pool } = this;
    const sc = plan.scenario;
    const at = opts.startGate ? await this.guard(opts.startGate()) : opts.startAt;
    if (at !== undefined) await this.guard(sleepUntil(clock, at - THREAD_BARRIER_LEAD_MS));
    const t0 = at ?? clock.now() + THREAD_BARRIER_LEAD_MS;
    const timeline = timelineOf(sc, t0); // the one every worker derives from the same t0
    Object.assign(this.times, { publishStart: t0, measureFrom: timeline.measureFrom, measureEnd: timeline.measureEnd });
    this.agg.realign(t0);
    this.timers.push(...armRemoteReceivers(plan, new Uint8Array(this.shared), t0, clock));
    pool.broadcast({ type: 'start', t0 });
    await this.guard(pool.waitAll('published'));
    // A run lasts the duration it reports: workers without publishers (an idle-connections scenario) are
    // "published" at once, but their connections are held until the measured window has ended.
    await this.guard(sleepUntil(clock, timeline.measureEnd));
    // A segment cannot see the others' progress: every segment stops at the same instant instead.
    if (plan.segment.count > 1) await this.guard(quiesceAt(pool, clock, timeline.segmentStopAt, sc.drainMs));
    else await this.guard(drain(pool, clock, sc.drainMs));
  }

  /** Interrupted by the user, or a worker failed: what was measured is kept (a window cut short where it stopped). */
  interrupted(err: unknown): void {
    this.status = this.times.publishStart ? 'partial' : 'failed';
    this.reason = err instanceof Aborted ? 'interrupted by the user' : (err as Error).message;
    if (this.times.measureEnd) this.times.measureEnd = Math.min(this.times.measureEnd, this.clock.now());
  }

  clearTimers(): void {
    if (this.progressTimer !== null) this.clock.clearTimeout(this.progressTimer);
    this.progressTimer = null;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
  }

  /** Stop: close connections, collect final snapshots, end the threads; settle what only the end can tell. */
  async stop(): Promise<RunOutcome> {
    const { pool } = this;
    pool.broadcast({ type: 'stop', reason: this.reason ?? 'done' });
    const finals = pool.waitAll('final');
    await Promise.race([finals, new Promise((r) => setTimeout(r, 10_000).unref())]);
    await pool.close(3000);
    // Every connection is closed now: whether an unacknowledged message reached a subscriber is final.
    for (const rows of this.unacked) settleUnacked(rows, this.delivered, this.agg);
    if (this.reason === 'interrupted by the user' && this.status === 'failed') this.status = 'partial';
    const notBack = this.agg.measured.connLost - this.agg.measured.reconnected;
    if (this.status === 'complete' && notBack > 0) {
      this.status = 'partial';
      this.reason = `${notBack} connection${notBack === 1 ? ' was' : 's were'} lost during the run and did not come back (broker down or refusing?)`;
    }
    this.opts.onInterval?.(this.view(true));
    const { status, reason, agg, startedAt, delivered, ledger } = this;
    return { status, reason, agg, startedAt, ...this.times, workers: pool.size, delivered, ledger };
  }
}

export function topReasons(errors: Record<string, number>): string {
  const list = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  if (list.length === 0) return 'no reason reported';
  return list
    .slice(0, 3)
    .map(([r, n]) => `${r} ×${n}`)
    .join(', ');
}
