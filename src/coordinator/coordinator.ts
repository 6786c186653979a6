import { Aggregator } from '../metrics/aggregate.js';
import { SeqBitmap } from '../metrics/seqBitmap.js';
import { settleUnacked } from '../metrics/unacked.js';
import { redactUrl } from '../scenario/redact.js';
import type { IntervalView, RunOutcome } from '../metrics/outcome.js';
import type { RunStatus } from '../metrics/types.js';
import type { RunPlan } from '../plan/plan.js';
import type { Clock } from '../shared/clock.js';
import { WorkerPool } from './pool.js';
import type { DeliveryProgress } from './protocol.js';
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
const BARRIER_LEAD_MS = 50;
const DRAIN_POLL_MS = 100;

class Aborted extends Error {}

/** Runs a plan on worker threads: barrier, connect, publish, drain, stop; merges every snapshot. */
export async function runPlan(opts: RunOptions): Promise<RunOutcome> {
  const { plan, clock } = opts;
  const sc = plan.scenario;
  const startedAt = new Date();
  const shared = new SharedArrayBuffer(Math.max(1, plan.totals.subscriptionSlots));
  const delivered = new SeqBitmap(plan.seqLayout);
  const ledger = allocateLedger(plan);
  const pool = new WorkerPool(plan.workers, opts.driver, opts.workerEntry ?? DEFAULT_ENTRY, { receivable: shared, delivered: delivered.buffer as SharedArrayBuffer, ledger });
  const segmented = plan.segment.count > 1;
  let remoteTimers: unknown[] = [];
  let agg = new Aggregator(clock.now());
  let status: RunStatus = 'complete';
  let reason: string | undefined;
  let connectAt = 0;
  let connectedAt = 0;
  let publishStart = 0;
  let measureFrom = 0;
  let measureEnd = 0;
  let progressTimer: unknown = null;

  const aborted = new Promise<never>((_, reject) => {
    if (opts.signal?.aborted) reject(new Aborted('interrupted'));
    opts.signal?.addEventListener('abort', () => reject(new Aborted('interrupted')), { once: true });
  });
  aborted.catch(() => undefined);
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, aborted, pool.failedPromise]);
  const unacked: Float64Array[] = [];
  pool.onSnapshot = (m) => {
    agg.add(m.snapshot);
    if (m.type === 'final' && m.unacked) unacked.push(m.unacked);
  };

  const view = (final: boolean): IntervalView => {
    const now = clock.now();
    return {
      at: now,
      phase: agg.latest()?.phase ?? 'connect',
      elapsedSec: publishStart ? Math.max(0, (now - publishStart) / 1000) : 0,
      totalSec: (sc.warmupMs + sc.durationMs) / 1000,
      plannedClients: plan.totals.clients,
      agg,
      final,
    };
  };
  const progress = () => {
    opts.onInterval?.(view(false));
    progressTimer = clock.setTimeout(progress, 1000);
  };

  try {
    await guard(pool.waitAll('ready'));
    connectAt = clock.now() + BARRIER_LEAD_MS;
    agg = new Aggregator(connectAt);
    pool.broadcast({ type: 'connect', at: connectAt });
    progressTimer = clock.setTimeout(progress, 1000);
    await guard(pool.waitAll('connected'));
    connectedAt = clock.now();
    if (agg.measured.connSucceeded === 0) {
      status = 'failed';
      reason = `no connection to ${redactUrl(sc.target.url)} succeeded (${topReasons(agg.connectErrors)})`;
    } else if (opts.startAt !== undefined && clock.now() > opts.startAt) {
      status = 'failed';
      reason = `the connect phase ran past --start-at ${new Date(opts.startAt).toISOString()} by ${Math.round(clock.now() - opts.startAt)} ms: start later, or connect faster (connect.rate, fewer clients per segment)`;
    } else {
      const at = opts.startGate ? await guard(opts.startGate()) : opts.startAt;
      if (at !== undefined) await guard(sleepUntil(clock, at - BARRIER_LEAD_MS));
      publishStart = at ?? clock.now() + BARRIER_LEAD_MS;
      const timeline = timelineOf(sc, publishStart); // the one every worker derives from the same t0
      ({ measureFrom, measureEnd } = timeline);
      agg.realign(publishStart);
      remoteTimers = armRemoteReceivers(plan, new Uint8Array(shared), publishStart, clock);
      pool.broadcast({ type: 'start', t0: publishStart });
      await guard(pool.waitAll('published'));
      // A run lasts the duration it reports: workers without publishers (an idle-connections scenario) are
      // "published" at once, but their connections are held until the measured window has ended.
      await guard(sleepUntil(clock, measureEnd));
      // A segment cannot see the others' progress: every segment stops at the same instant instead.
      if (segmented) await guard(quiesceAt(pool, clock, timeline.segmentStopAt, sc.drainMs));
      else await guard(drain(pool, clock, sc.drainMs));
    }
  } catch (err) {
    status = publishStart ? 'partial' : 'failed';
    reason = err instanceof Aborted ? 'interrupted by the user' : (err as Error).message;
    if (measureEnd) measureEnd = Math.min(measureEnd, clock.now());
  } finally {
    if (progressTimer !== null) clock.clearTimeout(progressTimer);
    for (const t of remoteTimers) clock.clearTimeout(t);
  }
  // Stop: close connections, collect final snapshots, end the threads.
  pool.broadcast({ type: 'stop', reason: reason ?? 'done' });
  const finals = pool.waitAll('final');
  await Promise.race([finals, new Promise((r) => setTimeout(r, 10_000).unref())]);
  await pool.close(3000);
  // Every connection is closed now: whether an unacknowledged message reached a subscriber is final.
  for (const rows of unacked) settleUnacked(rows, delivered, agg);
  if (reason === 'interrupted by the user' && status === 'failed') status = 'partial';
  const notBack = agg.measured.connLost - agg.measured.reconnected;
  if (status === 'complete' && notBack > 0) {
    status = 'partial';
    reason = `${notBack} connection${notBack === 1 ? ' was' : 's were'} lost during the run and did not come back (broker down or refusing?)`;
  }
  opts.onInterval?.(view(true));
  return { status, reason, agg, startedAt, connectAt, connectedAt, publishStart, measureFrom, measureEnd, workers: pool.size, delivered, ledger };
}

/** After the drain time: how long what was already written may still take to reach the subscribers. */
const QUIESCE_MS = 1000;

async function drain(pool: WorkerPool, clock: Clock, drainMs: number): Promise<void> {
  const poll = async () => {
    const replies = pool.waitAll('progress');
    pool.broadcast({ type: 'progress?' });
    const ps = (await replies).map((m) => m.progress);
    const sum = (f: (p: DeliveryProgress) => number) => ps.reduce((n, p) => n + f(p), 0);
    return { got: sum((p) => p.uniqueReceived), expected: sum((p) => p.expected), inflight: sum((p) => p.inflight) };
  };
  const until = clock.now() + drainMs;
  while (clock.now() < until) {
    const p = await poll();
    if (p.got >= p.expected && p.inflight === 0) return;
    await new Promise((r) => clock.setTimeout(() => r(undefined), DRAIN_POLL_MS));
  }
  // Publishes still waiting (a slow broker) or unacknowledged: stop publishing, then give what was written a
  // moment to arrive, so subscribers closing at the same instant as publishers cannot turn it into loss.
  pool.broadcast({ type: 'quiesce' });
  const grace = clock.now() + Math.min(QUIESCE_MS, drainMs);
  while (clock.now() < grace) {
    const p = await poll();
    if (p.got >= p.expected) return;
    await new Promise((r) => clock.setTimeout(() => r(undefined), DRAIN_POLL_MS));
  }
}

/** A segment stops at a fixed instant (every segment the same): publishing stops a moment before it (see drain). */
async function quiesceAt(pool: WorkerPool, clock: Clock, stopAt: number, drainMs: number): Promise<void> {
  await sleepUntil(clock, stopAt - Math.min(QUIESCE_MS, drainMs));
  pool.broadcast({ type: 'quiesce' });
  await sleepUntil(clock, stopAt);
}

function sleepUntil(clock: Clock, at: number): Promise<void> {
  return new Promise((r) => clock.setTimeout(() => r(), Math.max(0, at - clock.now())));
}

export function topReasons(errors: Record<string, number>): string {
  const list = Object.entries(errors).sort((a, b) => b[1] - a[1]);
  if (list.length === 0) return 'no reason reported';
  return list.slice(0, 3).map(([r, n]) => `${r} ×${n}`).join(', ');
}
