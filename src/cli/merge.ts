import { mergeResults, type Shard } from '../metrics/merge.js';
import { checkThresholds, combineThresholds } from '../thresholds/evaluate.js';
import type { Threshold } from '../thresholds/parse.js';
import { recordedThresholds } from '../thresholds/recorded.js';
import { defaultResultsPath, readResultsFile } from '../report/json.js';
import { checkOutBeforeRun } from './output.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { resultsExitCode, showAndSave } from './finish.js';
import type { CliIo } from './io.js';

/** `mqbench merge`: returns the exit code. Unreadable files and shards of different runs exit with 2. */
export async function mergeCommand(io: CliIo, files: string[], flags: { out?: string; threshold?: Threshold[]; verdictFail?: boolean }): Promise<number> {
  const err = (s: string) => void io.stderr.write(s);
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
  if (m.missing.length > 0)
    err(
      `mqbench: WARNING: ${m.missing.length} of ${m.segments.length + m.missing.length} segments missing (${m.missing.join(', ')}): the merged result is partial\n`,
    );
  if (m.clockUncertaintyMs !== 0) err(`mqbench: end-to-end latency across hosts (${m.hosts.join(', ')}): ${m.clockNote}\n`);
  const recorded = recordedThresholds(merged.scenario);
  if (recorded.problems.length > 0) {
    err(recorded.problems.map((p) => `mqbench: the results record an invalid threshold: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const thresholds = combineThresholds(recorded.thresholds, flags.threshold ?? []);
  if (thresholds.length > 0) merged.thresholds = checkThresholds(merged, thresholds);
  const out = flags.out ?? defaultResultsPath(`${merged.scenario.name}-merged-${m.runId}`, new Date(merged.startedAt));
  const saved = await showAndSave(io, merged, out, true);
  err(`merged ${shards.length} segment${shards.length === 1 ? '' : 's'} of run ${m.runId}${saved.ok ? ` into ${out}` : ''}\n`);
  return resultsExitCode(io, merged, { saved, interrupted: false, verdictFail: flags.verdictFail !== false, what: 'merged run' });
}
