import type { IntervalView, RunResult } from '../../src/metrics/outcome.js';
import type { RunPlan } from '../../src/plan/plan.js';
import { runScenario, type RunDeps } from '../../src/run.js';
import { parseScenarioText } from '../../src/scenario/load.js';

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
  const { scenario, secretPaths } = parseScenarioText(yaml, 'test.yaml', {});
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
  return { ...result, plan: plan! };
}
