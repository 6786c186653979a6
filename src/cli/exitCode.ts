/**
 * The exit code of a complete run (or merged result): 3 when a threshold failed or the broker broke a delivery
 * promise it offers (loss at QoS 1/2, duplicates at QoS 2, retained messages missing), else 0. `verdictFail`
 * false (--no-verdict-fail) leaves broken promises to the report and the thresholds.
 */
import { brokenPromises } from '../metrics/qosVerdict.js';
import type { Results } from '../metrics/types.js';
import { ExitCode } from '../shared/errors.js';

export function completeExitCode(results: Results, verdictFail: boolean, say: (line: string) => void): number {
  const thresholdFailed = results.thresholds?.some((t) => !t.ok) ?? false;
  const broken = verdictFail ? brokenPromises(results.summary) : [];
  for (const b of broken) say(`mqbench: delivery promise broken: ${b} (exit 3; --no-verdict-fail to report without failing)`);
  return thresholdFailed || broken.length > 0 ? ExitCode.thresholds : ExitCode.ok;
}
