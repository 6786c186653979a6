import { mergeResults, type Shard } from '../metrics/merge.js';
import { checkThresholds, combineThresholds } from '../thresholds/evaluate.js';
import type { Threshold } from '../thresholds/parse.js';
import { recordedThresholds } from '../thresholds/recorded.js';
import { defaultResultsPath, readResultsFile } from '../report/json.js';
import { checkOutBeforeRun, exitAfterSave, saveResultsOrRescue } from './output.js';
import { renderSummary } from '../report/table.js';
import { thresholdsLine } from '../report/thresholdTable.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { completeExitCode } from './exitCode.js';

const err = (s: string) => process.stderr.write(s);

/** `mqbench merge`: returns the exit code. Unreadable files and shards of different runs exit with 2. */
export async function mergeCommand(files: string[], flags: { out?: string; threshold?: Threshold[]; verdictFail?: boolean }): Promise<number> {
  await checkOutBeforeRun(flags.out);
  const shards: Shard[] = [];
  const problems: string[] = [];
  for (const path of files) {
    try {
      shards.push({ path, results: await readResultsFile(path) });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) {
    err(problems.map((p) => `mqbench: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const merged = mergeResults(shards); // throws a UserError (exit 2) for shards of different runs
  const m = merged.merged!;
  if (m.missing.length > 0) err(`mqbench: WARNING: ${m.missing.length} of ${m.segments.length + m.missing.length} segments missing (${m.missing.join(', ')}): the merged result is partial\n`);
  if (m.clockUncertaintyMs !== 0) err(`mqbench: end-to-end latency across hosts (${m.hosts.join(', ')}): ${m.clockNote}\n`);
  const recorded = recordedThresholds(merged.scenario);
  if (recorded.problems.length > 0) {
    err(recorded.problems.map((p) => `mqbench: the results record an invalid threshold: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const thresholds = combineThresholds(recorded.thresholds, flags.threshold ?? []);
  if (thresholds.length > 0) merged.thresholds = checkThresholds(merged, thresholds);
  const out = flags.out ?? defaultResultsPath(`${merged.scenario.name}-merged-${m.runId}`, new Date(merged.startedAt));
  process.stdout.write(`${renderSummary(merged, { color: Boolean(process.stdout.isTTY) })}\n`);
  const saved = await saveResultsOrRescue(out, merged);
  err(`merged ${shards.length} segment${shards.length === 1 ? '' : 's'} of run ${m.runId}${saved.ok ? ` into ${out}` : ''}\n`);
  if (merged.thresholds) err(`${thresholdsLine(merged.thresholds)}\n`);
  if (merged.status === 'complete') return exitAfterSave(saved, completeExitCode(merged, flags.verdictFail !== false, (l) => err(`${l}\n`)));
  err(`mqbench: merged run ${merged.status}: ${merged.statusReason ?? 'unknown reason'}\n`);
  return ExitCode.runFailed;
}
