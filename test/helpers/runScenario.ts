import { expect } from 'vitest';
import { runPlan, type RunOptions } from '../../src/coordinator/coordinator.js';
import { buildResults } from '../../src/metrics/results.js';
import type { Results } from '../../src/metrics/types.js';
import { buildRunPlan, type RunPlan } from '../../src/plan/plan.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { groupPublishRate, type Scenario } from '../../src/scenario/model.js';
import { loadTlsMaterial } from '../../src/scenario/tlsMaterial.js';
import { redactScenario } from '../../src/scenario/redact.js';
import { systemClock } from '../../src/shared/clock.js';
import { loaded } from './scenario.js';

// Worker threads run the compiled entry (npm test builds first).
export const workerEntry = new URL('../../dist/worker/entry.js', import.meta.url);

/** Plans and runs a scenario given as YAML text on real worker threads; returns the results file contents. */
/** `record`: the results carry the scenario as the CLI records it (redacted), not only its name. */
export async function runYaml(yaml: string, workers: number, extra: Partial<RunOptions> & { runId?: string; record?: boolean } = {}): Promise<{ results: Results; plan: RunPlan }> {
  // Validated, then the TLS files read (as the CLI does).
  const scenario = loaded(await loadTlsMaterial(loaded(parseScenarioText(yaml, 'test.yaml', {})))).scenario;
  const runId = extra.runId ?? Math.random().toString(16).slice(2, 8);
  const plan = buildRunPlan(scenario, { workers, runId, runTag: (Math.random() * 2 ** 32) >>> 0 });
  const outcome = await runPlan({ plan, driver: 'mqttjs', clock: systemClock, workerEntry, ...extra });
  const results = buildResults(outcome, { mqbenchVersion: 'test', scenario: extra.record ? { ...redactScenario(scenario, []), name: scenario.name } : { name: scenario.name }, targetUrl: scenario.target.url, embedded: false });
  expectAccounting(results, scenario);
  return { results, plan };
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
  const simple = results.status === 'complete' && !scenario.stages && !scenario.events.some((e) => e.kind === 'pause') && !scenario.groups.some((g) => g.publish?.rate.kind === 'max');
  if (!simple) return;
  const { warmupMs: w, durationMs: d } = scenario;
  const slots = scenario.groups.reduce((n, g) => n + (g.publish ? Math.ceil((groupPublishRate(g) * (w + d)) / 1000) - Math.ceil((groupPublishRate(g) * w) / 1000) : 0), 0);
  expect(m.planned, 'planned = the schedule\'s slots in the measured window').toBe(slots);
}
