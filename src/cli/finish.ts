/**
 * The tail every command that produces a results file shares (`run`, `run --processes`, `merge`): the
 * summary on stdout, the file written (or rescued), the thresholds line, and the exit code — 0 ok, 3 a
 * threshold or a delivery promise failed, 1 a partial or failed run (or results that did not reach --out),
 * 130 interrupted.
 */
import type { Results } from '../metrics/types.js';
import { renderSummary } from '../report/table.js';
import { thresholdsLine } from '../report/thresholdTable.js';
import { ExitCode } from '../shared/errors.js';
import { completeExitCode } from './exitCode.js';
import type { CliIo } from './io.js';
import { exitAfterSave, saveResultsOrRescue, type Saved } from './output.js';

/** Prints the summary (unless `summary` is false; it is printed whatever happens to the file), then writes the file. */
export async function showAndSave(io: CliIo, results: Results, out: string, summary: boolean): Promise<Saved> {
  if (summary) io.stdout.write(`${renderSummary(results, { color: Boolean(io.stdout.isTTY) })}\n`);
  return saveResultsOrRescue(io, out, results);
}

export interface Ending {
  saved: Saved;
  interrupted: boolean;
  verdictFail: boolean;
  /** How the status line names it: 'run' or 'merged run'. */
  what?: string;
}

/** The thresholds line, then the exit code of results written (or not) as `e.saved` says. */
export function resultsExitCode(io: CliIo, results: Results, e: Ending): number {
  const say = (line: string) => void io.stderr.write(`${line}\n`);
  if (results.thresholds) say(thresholdsLine(results.thresholds));
  return exitAfterSave(e.saved, statusExitCode(results, e, say));
}

function statusExitCode(results: Results, e: Ending, say: (line: string) => void): number {
  if (results.status === 'complete') return completeExitCode(results, e.verdictFail, say);
  if (e.interrupted) return ExitCode.interrupted;
  say(`mqbench: ${e.what ?? 'run'} ${results.status}: ${results.statusReason ?? 'unknown reason'}`);
  return ExitCode.runFailed;
}
