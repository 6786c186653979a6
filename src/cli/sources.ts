/**
 * Results files named on the command line (`compare`, `report`): `label=path` or a plain path, read and
 * labelled the same way by every command.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Results } from '../metrics/types.js';
import { resultsLabel, type ComparisonItem } from '../report/compare.js';
import { readResultsFile } from '../report/json.js';
import { ExitCode, UserError } from '../shared/errors.js';

export interface Source {
  path: string;
  label?: string;
}

/** "label=path" names a run; an argument that is an existing file is always a path (even with "="). */
export function parseSource(arg: string, command: string): Source {
  const eq = arg.indexOf('=');
  if (eq < 0 || existsSync(arg)) return { path: arg };
  const label = arg.slice(0, eq).trim();
  const path = arg.slice(eq + 1);
  if (label === '' || path === '') {
    throw new UserError(`${command}: "${arg}" is neither a file nor label=file`, ExitCode.usage, 'e.g. mosquitto=results/a.json');
  }
  return { path, label };
}

/** Default labels that collide (same broker URL and scenario) get the file name, so runs stay apart. */
export function labelled(sources: Source[], results: Results[]): ComparisonItem[] {
  const labels = sources.map((s, i) => s.label ?? resultsLabel(results[i]));
  const repeated = (l: string) => labels.filter((x) => x === l).length > 1;
  return sources.map((s, i) => ({
    label: !s.label && repeated(labels[i]) ? `${labels[i]} ${basename(s.path)}` : labels[i],
    results: results[i],
  }));
}

/**
 * Reads every source; unreadable or invalid files are collected (not thrown) so that all of them can be
 * named before exiting with 2.
 */
export async function readSources(sources: Source[]): Promise<{ results: Results[]; problems: string[] }> {
  const results: Results[] = [];
  const problems: string[] = [];
  for (const s of sources) {
    try {
      results.push(await readResultsFile(s.path));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(e.message);
    }
  }
  return { results, problems };
}
