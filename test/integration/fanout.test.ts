import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded.js';
import type { Results } from '../../src/metrics/types.js';
import type { RunPlan } from '../../src/plan/plan.js';
import { runScenario } from '../../src/run.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { observe } from '../helpers/observer.js';
import { fanoutScenario } from '../helpers/scenario.js';

import { workerEntry } from '../helpers/runScenario.js';

async function run(url: string, workers: number, over: Partial<Parameters<typeof fanoutScenario>[0]> = {}) {
  const scenario = fanoutScenario({ url, ...over });
  const runId = Math.random().toString(16).slice(2, 8);
  // The witness subscribes to every command topic of this run before anything is published.
  const witness = await observe(url, `it/${runId}/cmd/#`);
  let plan: RunPlan | undefined;
  const { results } = await runScenario(scenario, {
    workers,
    runId,
    runTag: (Math.random() * 2 ** 32) >>> 0,
    driver: 'mqttjs',
    workerEntry,
    reporters: [{ onStart: (p) => void (plan = p) }],
  });
  await new Promise((r) => setTimeout(r, 200));
  const seen = witness.count();
  await witness.close();
  return { results, seen, plan: plan! };
}

function expectCleanFanout(results: Results, seen: number, devices: number) {
  const m = results.summary.messages;
  expect(results.status).toBe('complete');
  expect(results.summary.connections).toMatchObject({ attempted: devices + 1, succeeded: devices + 1, failed: 0 });
  // Every command goes to exactly one device: the plan expects one delivery per message.
  expect(m.expected).toBe(m.sent);
  expect(m.received).toBe(m.expected);
  expect(m.lost).toBe(0);
  expect(m.duplicated).toBe(0);
  expect(m.acked).toBe(m.sent);
  expect(results.summary.latencyMs.endToEnd.count).toBe(m.received);
  expect(results.summary.latencyMs.publishAck.count).toBe(m.acked);
  // Independent truth: what the witness saw cross the broker equals everything mqbench says it sent
  // (warm-up included, from the per-second series).
  const sentAll = results.intervals.reduce((n, r) => n + r.sent, 0);
  expect(seen).toBe(sentAll);
  // Open model: 500/s over 2 s measured is 1,000 messages (± the slot at the window edge).
  expect(Math.abs(m.sent - 1000)).toBeLessThanOrEqual(1);
  // Corrected latency can never be below the uncorrected one.
  expect(results.summary.latencyMs.endToEnd.p50).toBeGreaterThanOrEqual(results.summary.latencyMs.endToEndUncorrected.p50);
}

describe('QoS 1 fan-out against mosquitto (real broker, real threads)', () => {
  const mosq = useMosquitto();

  it('2 workers: received == expected, nothing lost, the witness agrees', async () => {
    const { results, seen, plan } = await run(mosq.url, 2);
    expect(plan.workers).toHaveLength(2);
    expectCleanFanout(results, seen, 200);
    expect(results.generator.workers).toBe(2);
    expect(results.intervals.length).toBeGreaterThanOrEqual(3);
  });

  it('QoS 2 with 3 workers also delivers exactly once', async () => {
    const { results, seen } = await run(mosq.url, 3, { qos: 2 });
    expectCleanFanout(results, seen, 200);
  });
});

describe('QoS 1 fan-out against the embedded aedes broker', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('1 worker: received == expected, nothing lost, the witness agrees', async () => {
    const { results, seen } = await run(broker.url, 1);
    expectCleanFanout(results, seen, 200);
  });
});
