import { renderComparison } from '../report/compare.js';
import { ExitCode } from '../shared/errors.js';
import type { CliIo } from './io.js';
import { labelled, parseSource, readSources } from './sources.js';

/** `mqbench compare`: returns the exit code. Every unreadable file is named before exiting with 2. */
export async function compareCommand(io: CliIo, args: string[], flags: { markdown?: boolean }): Promise<number> {
  if (args.length < 2) {
    io.stderr.write('mqbench compare: give two or more results files, e.g. mqbench compare a.json b.json\n');
    return ExitCode.usage;
  }
  const sources = args.map((a) => parseSource(a, 'compare'));
  const { results, problems } = await readSources(sources);
  if (problems.length > 0) {
    io.stderr.write(problems.map((p) => `mqbench: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const markdown = Boolean(flags.markdown);
  const text = renderComparison(labelled(sources, results), { markdown, color: !markdown && Boolean(io.stdout.isTTY) });
  io.stdout.write(text);
  return ExitCode.ok;
}
