/**
 * The results file on the command line: its place is checked before anything connects (exit 2 with the
 * reason), and if writing still fails at the end the results are rescued to the temporary folder and both
 * paths are printed. A run whose results did not reach --out exits with 1 (130 stays 130): a script that
 * expects the file there must not carry on as if it were.
 */
import type { Results } from '../metrics/types.js';
import { outPathProblem, saveResults } from '../report/outPath.js';
import { ExitCode, UserError } from '../shared/errors.js';
import type { CliIo } from './io.js';

/**
 * Throws a usage error (exit 2) when results cannot be written to `out`, or — without --out — into the default
 * folder `defaultDir`. With `folder`, `out` is a folder that receives several results files.
 */
export async function checkOutBeforeRun(out: string | undefined, defaultDir = 'results', opts: { folder?: boolean } = {}): Promise<void> {
  const given = out !== undefined;
  const problem = await outPathProblem(out ?? defaultDir, { folder: opts.folder || !given });
  if (problem === null) return;
  const what = given ? `--out ${out}` : `the default results folder ${defaultDir}/`;
  throw new UserError(
    `cannot write results to ${what}: ${problem}`,
    ExitCode.usage,
    given ? `give --out a ${opts.folder ? 'folder' : 'file path'} you can write to` : 'give --out a file path you can write to',
  );
}

/** Where the results are now (null: nowhere) and whether they reached `out`. */
export interface Saved {
  path: string | null;
  ok: boolean;
}

/** Writes the results to `out`, or rescues them to the temporary folder; says so on stderr. Never throws. */
export async function saveResultsOrRescue(io: CliIo, out: string, results: Results): Promise<Saved> {
  const err = (text: string) => io.stderr.write(text);
  const s = await saveResults(out, results);
  if (s.ok) return { path: out, ok: true };
  err(`mqbench: cannot write the results to ${out}: ${s.reason}\n`);
  if (s.fallback) err(`mqbench: the results were written to ${s.fallback} instead\n`);
  else err(`mqbench: the results could not be saved anywhere (${s.fallbackReason ?? 'unknown reason'}): only the summary above remains\n`);
  return { path: s.fallback, ok: false };
}

/** The exit code once the results could not be written to --out: 1, unless the run was interrupted (130). */
export function exitAfterSave(saved: Saved, code: number): number {
  if (saved.ok || code === ExitCode.interrupted) return code;
  return ExitCode.runFailed;
}
