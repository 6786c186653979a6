import { join } from 'node:path';
import { writeAtomically } from './ciFiles.js';
import { renderHtmlReport } from '../report/html.js';
import { brokerLabel } from '../report/compare.js';
import { loadChartLibrary } from '../report/htmlAssets.js';
import { utcStamp } from '../report/json.js';
import { renderMqttbsReport } from '../report/mqttbs.js';
import { ExitCode } from '../shared/errors.js';
import type { CliIo } from './io.js';
import { labelled, parseSource, readSources } from './sources.js';

/** Default report location: `results/report-<YYYYMMDD-HHMMSS>.html`, timestamp in UTC. */
export function defaultReportPath(at: Date, dir = 'results'): string {
  return join(dir, `report-${utcStamp(at)}.html`);
}

/** `mqbench report`: returns the exit code. Every unreadable file is named before exiting with 2. */
export async function reportCommand(io: CliIo, args: string[], flags: { out?: string; format?: 'html' | 'mqttbs' }): Promise<number> {
  if (args.length === 0) {
    io.stderr.write('mqbench report: give one or more results files, e.g. mqbench report results/*.json --out report.html\n');
    return ExitCode.usage;
  }
  const sources = args.map((a) => parseSource(a, 'report'));
  const { results, problems } = await readSources(sources);
  if (problems.length > 0) {
    io.stderr.write(problems.map((p) => `mqbench: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const now = new Date();
  if (flags.format === 'mqttbs') {
    // The suite's table as Markdown: printed, or written to --out.
    const md = renderMqttbsReport(labelled(sources, results), { generatedAt: now });
    if (flags.out === undefined) {
      io.stdout.write(md);
      return ExitCode.ok;
    }
    return write(io, flags.out, md, results.length);
  }
  const out = flags.out ?? defaultReportPath(now);
  // Named by broker (label=file, else the run's --broker label or broker product); runs of one broker and scenario are its repeats.
  const items = sources.map((s, i) => ({ label: s.label ?? brokerLabel(results[i]), results: results[i] }));
  const html = renderHtmlReport(items, { library: await loadChartLibrary(), generatedAt: now });
  return write(io, out, html, results.length);
}

async function write(io: CliIo, out: string, text: string, runs: number): Promise<number> {
  try {
    await writeAtomically(out, text);
  } catch (err) {
    io.stderr.write(`mqbench: cannot write report ${out}: ${(err as Error).message}\n`);
    return ExitCode.usage;
  }
  io.stdout.write(`Report (${runs === 1 ? '1 run' : `${runs} runs`}): ${out}\n`);
  return ExitCode.ok;
}
