/**
 * Runs a scenario's worker runtime in-process on the memory driver and the fake clock, the way the
 * coordinator drives worker threads (connect → start → stop → final, one shared ledger, snapshots added
 * up) and builds the Results. The memory driver's counts are the independent truth tests compare with.
 */
import { allocateLedger } from '../../src/coordinator/ledgerBuffers.js';
import type { FromWorker } from '../../src/coordinator/protocol.js';
import { MemoryDriver, type MemoryOptions } from '../../src/driver/memory.js';
import { Aggregator } from '../../src/metrics/aggregate.js';
import { buildResults } from '../../src/metrics/results.js';
import { SeqBitmap } from '../../src/metrics/seqBitmap.js';
import { SessionBoard } from '../../src/metrics/sessions.js';
import { ShareLedger } from '../../src/metrics/shareLedger.js';
import type { Results } from '../../src/metrics/types.js';
import { buildRunPlan } from '../../src/plan/plan.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { loaded } from './scenario.js';
import type { Scenario } from '../../src/scenario/model.js';
import { FakeClock } from '../../src/shared/fakeClock.js';
import { settleUnacked } from '../../src/metrics/unacked.js';
import { WorkerRunner } from '../../src/worker/runner.js';
import { timelineOf } from '../../src/plan/timeline.js';

export interface MemoryRun {
  clock: FakeClock;
  mem: MemoryDriver;
  scenario: Scenario;
  /** Epoch ms of publishing start. */
  t0: number;
  messages: FromWorker[];
}

export interface MemoryRunOptions {
  /** Worker runners (threads, here in-process) splitting the plan. Default 1. */
  workers?: number;
  /** Called with the driver before anything connects (fault rules for the whole run go here). */
  setup?: (mem: MemoryDriver) => void;
  /** Called every fake ms from publishing start on, with the elapsed ms (timed faults go here). */
  script?: (run: MemoryRun, elapsedMs: number) => void;
}

/** As the coordinator's drain: what was written may take this long to arrive once publishing stopped. */
const QUIESCE_MS = 1000;

const turn = () => new Promise<void>((r) => setImmediate(r));

/** Advances fake time 1 ms at a time, letting promises settle in between; `each` runs before every step. */
async function step(clock: FakeClock, ms: number, each?: () => void): Promise<void> {
  for (let i = 0; i < ms; i++) {
    each?.();
    clock.advance(1);
    await turn();
  }
}

export async function runOnMemory(
  yaml: string,
  memOpts: Omit<MemoryOptions, 'clock'> = {},
  o: MemoryRunOptions = {},
): Promise<{ results: Results; run: MemoryRun }> {
  const scenario = loaded(parseScenarioText(yaml, 'memory.yaml', {})).scenario;
  const plan = buildRunPlan(scenario, { workers: o.workers ?? 1, runId: 'mem', runTag: 7 });
  const clock = new FakeClock();
  const mem = new MemoryDriver({ ...memOpts, clock });
  o.setup?.(mem);
  const receivable = new Uint8Array(new SharedArrayBuffer(Math.max(1, plan.totals.subscriptionSlots)));
  const delivered = new SeqBitmap(plan.seqLayout);
  const ledger = allocateLedger(plan);
  const messages: FromWorker[] = [];
  const runners = plan.workers.map(
    (w) =>
      new WorkerRunner({
        plan: w,
        driver: mem,
        clock,
        send: (m) => messages.push(m),
        receivable,
        delivered,
        shares: new ShareLedger(ledger.shares, w.seqLayout),
        sessions: new SessionBoard(ledger.sessions),
        selfCheck: () => ({ eventLoopDelayMaxMs: 0, eventLoopDelayP99Ms: 0, busyMs: 0, intervalMs: 1000 }),
        onFinished: () => {},
      }),
  );
  const all = (type: FromWorker['type']) => messages.filter((m) => m.type === type).length === runners.length;
  for (const r of runners) r.handle({ type: 'connect', at: clock.now() });
  for (let i = 0; i < 10_000 && !all('connected'); i++) await step(clock, 1);
  if (!all('connected')) throw new Error('the runners did not connect');
  const t0 = clock.now() + 50;
  const run: MemoryRun = { clock, mem, scenario, t0, messages };
  for (const r of runners) r.handle({ type: 'start', t0 });
  const { measureFrom, measureEnd } = timelineOf(scenario, t0); // as the coordinator and every runner derive it
  // The coordinator's drain: the drain time, then publishing stops (what waits is unsent) and what was
  // written gets up to 1 s more to arrive before anything closes.
  await step(clock, measureEnd + scenario.drainMs - clock.now(), () => o.script?.(run, clock.now() - t0));
  for (const r of runners) r.handle({ type: 'quiesce' });
  await step(clock, Math.min(QUIESCE_MS, scenario.drainMs), () => o.script?.(run, clock.now() - t0));
  for (const r of runners) r.handle({ type: 'stop', reason: 'done' });
  for (let i = 0; i < 5000 && !all('final'); i++) await step(clock, 1);
  if (!all('final')) throw new Error('the runners sent no final snapshot');
  const agg = new Aggregator(t0);
  for (const m of messages) if (m.type === 'snapshot' || m.type === 'final') agg.add(m.snapshot);
  // Every connection is closed: whether an unacknowledged publish reached a subscriber is final.
  for (const m of messages) if (m.type === 'final' && m.unacked) settleUnacked(m.unacked, delivered, agg);
  const results = buildResults(
    {
      status: 'complete',
      agg,
      startedAt: new Date(0),
      connectAt: 0,
      connectedAt: 0,
      publishStart: t0,
      measureFrom,
      measureEnd,
      workers: runners.length,
      delivered,
      ledger,
    },
    { mqbenchVersion: 'test', scenario: { name: scenario.name }, targetUrl: scenario.target.url, embedded: false },
  );
  return { results, run };
}
