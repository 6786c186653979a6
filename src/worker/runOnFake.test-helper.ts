/**
 * Runs one WorkerRunner in-process against the FakeBroker on the fake clock, the way the coordinator
 * drives a worker thread (connect → start → stop → final), and builds the Results the coordinator would:
 * snapshots added up, the final snapshot's unacknowledged publishes settled against the delivered bitmap.
 * Not a test file itself.
 */
import { expect } from 'vitest';
import type { FromWorker } from '../coordinator/protocol.js';
import { Aggregator } from '../metrics/aggregate.js';
import { buildResults } from '../metrics/results.js';
import { SeqBitmap } from '../metrics/seqBitmap.js';
import type { Results } from '../metrics/types.js';
import { settleUnacked } from '../metrics/unacked.js';
import { buildRunPlan } from '../plan/plan.js';
import { timelineOf } from '../plan/timeline.js';
import { allocateLedger } from '../coordinator/ledgerBuffers.js';
import { SessionBoard } from '../metrics/sessions.js';
import { ShareLedger } from '../metrics/shareLedger.js';
import { parseScenarioText } from '../scenario/load.js';
import { loaded } from '../../test/helpers/scenario.js';
import type { Scenario } from '../scenario/model.js';
import { FakeClock } from '../shared/fakeClock.js';
import { FakeBroker, type FakeBrokerOptions } from './fakeDriver.test-helper.js';
import { WorkerRunner } from './runner.js';

export interface FakeRun {
  clock: FakeClock;
  broker: FakeBroker;
  scenario: Scenario;
  /** Epoch ms of publishing start. */
  t0: number;
  messages: FromWorker[];
  /** broker.written when `quiesce` was sent. */
  writtenAtQuiesce?: number;
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** Advances fake time 1 ms at a time, letting promises settle in between; `each` runs before every step. */
async function step(clock: FakeClock, ms: number, each?: () => void): Promise<void> {
  for (let i = 0; i < ms; i++) {
    each?.();
    clock.advance(1);
    await flush();
  }
}

export interface FakeRunOptions {
  /** Fake ms between the end of the measured window and `stop` (the coordinator's drain). Default 0. */
  drainMs?: number;
  /** Send `quiesce` when the drain ends and wait this long before `stop` (as the coordinator does with slow brokers). */
  quiesceMs?: number;
  /** Called every fake ms from publishing start on, with the elapsed ms (faults go here). */
  script?: (run: FakeRun, elapsedMs: number) => void;
}

export async function runOnFake(yaml: string, brokerOpts: FakeBrokerOptions, o: FakeRunOptions = {}): Promise<{ results: Results; run: FakeRun }> {
  const scenario = loaded(parseScenarioText(yaml, 'fake.yaml', {})).scenario;
  const plan = buildRunPlan(scenario, { workers: 1, runId: 'r1', runTag: 7 });
  const clock = new FakeClock();
  const broker = new FakeBroker(clock, brokerOpts);
  const delivered = new SeqBitmap(plan.seqLayout);
  const ledger = allocateLedger(plan);
  const messages: FromWorker[] = [];
  const runner = new WorkerRunner({
    plan: plan.workers[0],
    driver: broker,
    clock,
    send: (m) => messages.push(m),
    receivable: new Uint8Array(new SharedArrayBuffer(Math.max(1, plan.totals.subscriptionSlots))),
    delivered,
    shares: new ShareLedger(ledger.shares, plan.seqLayout),
    sessions: new SessionBoard(ledger.sessions),
    selfCheck: () => ({ eventLoopDelayMaxMs: 0, eventLoopDelayP99Ms: 0, busyMs: 0, intervalMs: 1000 }),
    onFinished: () => {},
  });
  const got = (type: FromWorker['type']) => messages.some((m) => m.type === type);
  runner.handle({ type: 'connect', at: clock.now() });
  for (let i = 0; i < 10_000 && !got('connected'); i++) await step(clock, 1);
  expect(got('connected')).toBe(true);
  const t0 = clock.now() + 50;
  const run: FakeRun = { clock, broker, scenario, t0, messages };
  runner.handle({ type: 'start', t0 });
  const { measureFrom, measureEnd } = timelineOf(scenario, t0); // as the coordinator derives it
  await step(clock, measureEnd + (o.drainMs ?? 0) - clock.now(), () => o.script?.(run, clock.now() - t0));
  if (o.quiesceMs !== undefined) {
    runner.handle({ type: 'quiesce' });
    run.writtenAtQuiesce = broker.written;
    await step(clock, o.quiesceMs, () => o.script?.(run, clock.now() - t0));
  }
  runner.handle({ type: 'stop', reason: 'done' });
  for (let i = 0; i < 5000 && !got('final'); i++) await step(clock, 1);
  const final = messages.find((m) => m.type === 'final');
  if (final?.type !== 'final') throw new Error('no final snapshot');
  const agg = new Aggregator(t0);
  for (const m of messages) if (m.type === 'snapshot' || m.type === 'final') agg.add(m.snapshot);
  if (final.unacked) settleUnacked(final.unacked, delivered, agg);
  const results = buildResults(
    { status: 'complete', agg, startedAt: new Date(0), connectAt: 0, connectedAt: 0, publishStart: t0, measureFrom, measureEnd, workers: 1, delivered, ledger },
    { mqbenchVersion: 'test', scenario: { name: scenario.name }, targetUrl: scenario.target.url, embedded: false },
  );
  return { results, run };
}

/**
 * Slots a constant-rate group has in the measured window, from the schedule's definition (the k-th
 * message is due at t0 + k / rate): the plan, computed independently of the pacer.
 */
export function plannedSlots(ratePerSec: number, warmupMs: number, durationMs: number): number {
  return Math.ceil((ratePerSec * (warmupMs + durationMs)) / 1000) - Math.ceil((ratePerSec * warmupMs) / 1000);
}
