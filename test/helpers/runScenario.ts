import { runPlan, type RunOptions } from '../../src/coordinator/coordinator.js';
import { buildResults } from '../../src/metrics/results.js';
import type { Results } from '../../src/metrics/types.js';
import { buildRunPlan, type RunPlan } from '../../src/plan/plan.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { loadTlsMaterial } from '../../src/scenario/tlsMaterial.js';
import { systemClock } from '../../src/shared/clock.js';
import { loaded } from './scenario.js';

// Worker threads run the compiled entry (npm test builds first).
export const workerEntry = new URL('../../dist/worker/entry.js', import.meta.url);

/** Plans and runs a scenario given as YAML text on real worker threads; returns the results file contents. */
export async function runYaml(yaml: string, workers: number, extra: Partial<RunOptions> & { runId?: string } = {}): Promise<{ results: Results; plan: RunPlan }> {
  // Validated, then the TLS files read (as the CLI does).
  const scenario = loaded(await loadTlsMaterial(loaded(parseScenarioText(yaml, 'test.yaml', {})))).scenario;
  const runId = extra.runId ?? Math.random().toString(16).slice(2, 8);
  const plan = buildRunPlan(scenario, { workers, runId, runTag: (Math.random() * 2 ** 32) >>> 0 });
  const outcome = await runPlan({ plan, driver: 'mqttjs', clock: systemClock, workerEntry, ...extra });
  const results = buildResults(outcome, { mqbenchVersion: 'test', scenario: { name: scenario.name }, targetUrl: scenario.target.url, embedded: false });
  return { results, plan };
}
