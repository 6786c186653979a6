import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Results } from '../metrics/types.js';
import { renderComparison, resultsLabel, type ComparisonItem } from '../report/compare.js';
import { readResultsFile } from '../report/json.js';
import { ExitCode, UserError } from '../shared/errors.js';

interface Source {
  path: string;
  label?: string;
}

/** "label=path" names a column; an argument that is an existing file is always a path (even with "="). */
function parseSource(arg: string): Source {
  const eq = arg.indexOf('=');
  if (eq < 0 || existsSync(arg)) return { path: arg };
  const label = arg.slice(0, eq).trim();
  const path = arg.slice(eq + 1);
  if (label === '' || path === '') {
    throw new UserError(`compare: "${arg}" is neither a file nor label=file`, ExitCode.usage, 'e.g. mosquitto=results/a.json');
  }
  return { path, label };
}

/** Default labels that collide (same broker URL and scenario) get the file name, so columns stay apart. */
function labelled(sources: Source[], results: Results[]): ComparisonItem[] {
  const labels = sources.map((s, i) => s.label ?? resultsLabel(results[i]));
  const repeated = (l: string) => labels.filter((x) => x === l).length > 1;
  return sources.map((s, i) => ({
    label: !s.label && repeated(labels[i]) ? `${labels[i]} ${basename(s.path)}` : labels[i],
    results: results[i],
  }));
}

/** `mqbench compare`: returns the exit code. Every unreadable file is named before exiting with 2. */
export async function compareCommand(args: string[], flags: { markdown?: boolean }): Promise<number> {
  if (args.length < 2) {
    process.stderr.write('mqbench compare: give two or more results files, e.g. mqbench compare a.json b.json\n');
    return ExitCode.usage;
  }
  const sources = args.map(parseSource);
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
  if (problems.length > 0) {
    process.stderr.write(problems.map((p) => `mqbench: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const markdown = Boolean(flags.markdown);
  const text = renderComparison(labelled(sources, results), { markdown, color: !markdown && Boolean(process.stdout.isTTY) });
  process.stdout.write(text);
  return ExitCode.ok;
}
