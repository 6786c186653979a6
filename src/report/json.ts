/**
 * The results file (DESIGN.md §6): written atomically, read back checked (metrics/resultsDecode.ts): a file of
 * another schema version or with a wrong field is refused with the file and the field named.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Results } from '../metrics/resultsFile.js';
import { decodeResults, FieldError, RESULTS_SCHEMA_VERSION, SchemaVersionError } from '../metrics/resultsDecode.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { ReadProblem, readRegularFile } from '../shared/readLimited.js';

export { RESULTS_SCHEMA_VERSION };

/**
 * Writes `results` as pretty JSON (2-space indent, trailing newline). The text goes to a temporary file in
 * the same folder, is flushed to disk, then renamed over `path`: readers see the old file or the new one,
 * never half of one. Parent folders are created as needed.
 */
export async function writeResultsFile(path: string, results: Results): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** "2025-03-04T05:06:07Z" → "20250304-050607" (UTC). */
export function utcStamp(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
  return `${date}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** Keeps a scenario name usable as one file name on every OS: no separators, spaces or odd characters. */
function fileSafe(name: string): string {
  const safe = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return safe === '' ? 'run' : safe;
}

/** Default results location: `<dir>/<scenario-name>-<YYYYMMDD-HHMMSS>.json`, timestamp in UTC. */
export function defaultResultsPath(scenarioName: string, startedAt: Date, dir = 'results'): string {
  return join(dir, `${fileSafe(scenarioName)}-${utcStamp(startedAt)}.json`);
}

/**
 * Results files grow with the run (one interval row a second, histograms per row for segments): a week-long run
 * stays far below this. Past it (or for a device or FIFO) the file is refused instead of read without end.
 */
export const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

/** Reads and checks a results file; throws a UserError (exit 2) naming the file and the problem (the field, for a wrong one). */
export async function readResultsFile(path: string): Promise<Results> {
  let text: string;
  try {
    text = (await readRegularFile(path, MAX_RESULTS_BYTES)).toString('utf8');
  } catch (err) {
    const why = err instanceof ReadProblem ? err.reason : (err as Error).message;
    throw new UserError(`cannot read results file ${path}: ${why}`, ExitCode.usage);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path} is not valid JSON: ${(err as Error).message}`, ExitCode.usage);
  }
  try {
    return decodeResults(data);
  } catch (err) {
    if (err instanceof SchemaVersionError) throw new UserError(`${path} ${err.message}`, ExitCode.usage);
    if (err instanceof FieldError) {
      throw new UserError(
        `${path} is not a valid mqbench results file: ${err.message}`,
        ExitCode.usage,
        'was it written by mqbench (run, merge) and left unedited?',
      );
    }
    throw err;
  }
}
