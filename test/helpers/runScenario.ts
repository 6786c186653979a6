import { expect } from 'vitest';
import type { IntervalView, RunResult } from '../../src/metrics/outcome.js';
import type { Results } from '../../src/metrics/types.js';
import type { RunPlan } from '../../src/plan/plan.js';
import { runScenario, type RunDeps } from '../../src/run.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { groupPublishRate, type Scenario } from '../../src/scenario/model.js';
import { loadTlsMaterial } from '../../src/scenario/tlsMaterial.js';
import { loaded } from './scenario.js';

// Worker threads run the compiled entry (npm test builds first).
export const workerEntry = new URL('../../dist/worker/entry.js', import.meta.url);

export interface RunYamlOptions extends Partial<RunDeps> {
  /** Called with every interval view (about once a second, and the final one). */
  onInterval?: (view: IntervalView) => void;
}

/**
 * Runs a scenario given as YAML text on real worker threads through the public composition root
 * (runScenario, as `mqbench run` does); returns the results, the timeline and the plan that ran.
 */
export async function runYaml(yaml: string, workers: number, extra: RunYamlOptions = {}): Promise<RunResult & { plan: RunPlan }> {
  const { onInterval, reporters = [], ...deps } = extra;
  // Validated, then the TLS files read (as the CLI does).
  const { scenario, secretPaths } = loaded(await loadTlsMaterial(loaded(parseScenarioText(yaml, 'test.yaml', {}))));
  let plan: RunPlan | undefined;
  const result = await runScenario(scenario, {
    workers,
    runId: Math.random().toString(16).slice(2, 8),
    runTag: (Math.random() * 2 ** 32) >>> 0,
    driver: 'mqttjs',
    workerEntry,
    mqbenchVersion: 'test',
    secretPaths,
    ...deps,
    reporters: [{ onStart: (p) => void (plan = p), ...(onInterval ? { onInterval } : {}) }, ...reporters],
  });
  expectAccounting(result.results, scenario);
  return { ...result, plan: plan! };
}

/**
 * The accounting identity every run satisfies: each planned slot ended sent, missed or unsent, and each
 * written QoS 1/2 message was accepted, unconfirmed or refused. For a complete constant-rate run without
 * pauses, `planned` is also exactly the schedule's slot count in the measured window.
 */
export function expectAccounting(results: Results, scenario: Scenario): void {
  const m = results.summary.messages;
  expect(m.planned, 'planned = sent + missed + unsent').toBe(m.sent + m.missedSends + (m.unsent ?? NaN));
  expect((m.accepted ?? NaN) + (m.unconfirmed ?? NaN) + (m.refused ?? NaN), 'accepted + unconfirmed + refused ≤ sent').toBeLessThanOrEqual(m.sent);
  // A closed loop (rate: max) has no schedule to count slots of.
  const simple =
    results.status === 'complete' &&
    !scenario.stages &&
    !scenario.events.some((e) => e.kind === 'pause') &&
    !scenario.groups.some((g) => g.publish?.rate.kind === 'max');
  if (!simple) return;
  const { warmupMs: w, durationMs: d } = scenario;
  const slots = scenario.groups.reduce(
    (n, g) => n + (g.publish ? Math.ceil((groupPublishRate(g) * (w + d)) / 1000) - Math.ceil((groupPublishRate(g) * w) / 1000) : 0),
    0,
  );
  expect(m.planned, "planned = the schedule's slots in the measured window").toBe(slots);
}
