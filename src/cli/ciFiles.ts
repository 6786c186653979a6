/**
 * --junit and --csv: files a CI system reads natively, written next to the results. Their places are checked
 * before anything connects (exit 2), like --out; a write that still fails at the end is reported and turns an
 * otherwise successful exit into 1, since a CI job would read a missing file as "no tests".
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { renderCsv, type CsvRun } from '../report/csv.js';
import { renderJunit, runSuite, type JunitSuite } from '../report/junit.js';
import { outPathProblem } from '../report/outPath.js';
import { ExitCode, UserError } from '../shared/errors.js';
import type { CliIo } from './io.js';

export interface CiFlags {
  junit?: string;
  csv?: string;
}

/** Throws a usage error when one of the files named by its flag cannot be written. */
export async function checkWritable(files: readonly [flag: string, path: string | undefined][]): Promise<void> {
  for (const [flag, path] of files) {
    if (path === undefined) continue;
    const problem = await outPathProblem(path, { folder: false });
    if (problem !== null) throw new UserError(`cannot write ${flag} ${path}: ${problem}`, ExitCode.usage, `give ${flag} a file path you can write to`);
  }
}

/** Throws a usage error when --junit or --csv cannot be written. */
export function checkCiFilesBeforeRun(flags: CiFlags): Promise<void> {
  return checkWritable([
    ['--junit', flags.junit],
    ['--csv', flags.csv],
  ]);
}

/** Writes through a temporary file in the same folder, so a reader never sees half a file. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Writes the JUnit file (the given suites, or one per run) and the CSV of the runs. Returns `code`, or 1 when a
 * file could not be written and `code` was 0.
 */
export async function writeCiFiles(io: CliIo, flags: CiFlags, runs: readonly CsvRun[], code: number, suites?: JunitSuite[]): Promise<number> {
  let failed = false;
  const write = async (flag: string, path: string | undefined, text: () => string) => {
    if (path === undefined) return;
    try {
      await writeAtomically(path, text());
      io.stderr.write(`${flag} written to ${path}\n`);
    } catch (err) {
      failed = true;
      io.stderr.write(`mqbench: cannot write ${flag} ${path}: ${(err as Error).message}\n`);
    }
  };
  await write('JUnit XML', flags.junit, () => renderJunit(suites ?? runs.map((r) => runSuite(r.results, { label: r.label, repeat: r.repeat }))));
  await write('CSV', flags.csv, () => renderCsv(runs));
  return failed && code === ExitCode.ok ? ExitCode.runFailed : code;
}
