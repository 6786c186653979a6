/**
 * The one output seam of a run (k6's Output): whatever follows a run as it goes — the progress line, the
 * Prometheus exporter, a test's recorder — is a Reporter handed to `runScenario`. Every hook is optional
 * and called in the order the reporters were given. What a run leaves behind (the results file, the summary
 * table) is written by the caller from the `RunResult`, so a reporter never decides an exit code.
 */
import type { IntervalView, RunResult } from '../metrics/outcome.js';
import type { RunPlan } from '../plan/plan.js';

export interface Reporter {
  /** The plan is made; nothing has connected yet. */
  onStart?(plan: RunPlan): void;
  /** About once a second, and once more with `view.final` when every final snapshot is in. */
  onInterval?(view: IntervalView): void;
  /** The results are built (thresholds checked); before `runScenario` returns. */
  onEnd?(result: RunResult): void | Promise<void>;
}
