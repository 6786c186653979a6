import { basename, join } from 'node:path';
import type { Results } from '../metrics/types.js';
import { readResultsFile } from '../report/json.js';
import { renderComparison } from '../report/compare.js';
import { checkCiFilesBeforeRun, writeCiFiles } from './ciFiles.js';
import { ExitCode, UserError } from '../shared/errors.js';
import type { CliIo } from './io.js';
import { checkOutBeforeRun } from './output.js';
import { runProcesses } from './processes.js';
import { runOne } from './run.js';
import type { RunFlags, RunView } from './runFlags.js';
import { checkBrokerFlag } from './overrides.js';

/** A named target of a comparison run: `mosquitto=mqtt://127.0.0.1:1883` (the label defaults to host:port). */
export interface NamedBroker {
  label: string;
  url: string;
}

export function parseNamedBroker(text: string): NamedBroker {
  const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(text);
  const url = checkBrokerFlag(m ? m[2] : text);
  if (m) return { label: m[1], url };
  if (url === 'embedded') return { label: 'embedded', url };
  const u = new URL(url);
  return { label: u.port ? `${u.hostname}:${u.port}` : u.hostname, url };
}

/**
 * `mqbench run` with several targets (or --repeat): the same scenario against every target in turn,
 * interleaved (A B A B …) so that drift on the generator machine spreads over all targets, each run writing
 * its own results file into --out (a folder), then each figure's median, bootstrap interval and verdict. Returns the worst
 * exit code of the runs (130 at once when one was interrupted).
 */
export async function runComparison(io: CliIo, file: string, flags: RunFlags): Promise<number> {
  const brokers = (flags.brokers.length ? flags.brokers : ['embedded']).map(parseNamedBroker);
  const labels = new Set(brokers.map((b) => b.label));
  if (labels.size !== brokers.length)
    throw new UserError('each --broker needs its own label', ExitCode.usage, 'name them: --broker a=mqtt://host:1883 --broker b=mqtt://host:1884');
  const dir = flags.out ?? 'results';
  await checkOutBeforeRun(dir, 'results', { folder: true });
  await checkCiFilesBeforeRun(flags);
  const name = basename(file).replace(/\.ya?ml$/i, '');
  const runs = new Map<string, Results[]>(brokers.map((b) => [b.label, []]));
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  let worst: number = ExitCode.ok;
  for (let r = 1; r <= flags.repeat; r++) {
    for (const b of brokers) {
      const out = join(dir, `${name}-${b.label}-${stamp}-${r}.json`);
      io.stdout.write(`\n== run ${r} of ${flags.repeat} against ${b.label}\n`);
      const one: RunFlags = { ...flags, brokers: [b.url], brokerLabel: b.label, repeat: 1, out, junit: undefined, csv: undefined };
      const view: RunView = { summary: false, quiet: true };
      const code = await (flags.processes > 1 ? runProcesses(io, file, one, view) : runOne(io, file, one, view));
      if (code === ExitCode.interrupted) return code;
      worst = worse(worst, code);
      const results = await readResultsFile(out).catch(() => null); // a run that wrote nothing (e.g. broker unreachable) is left out of the medians
      if (results) runs.get(b.label)!.push(results);
    }
  }
  io.stdout.write('\n');
  const items = brokers.flatMap((b) => runs.get(b.label)!.map((results) => ({ label: b.label, results })));
  if (new Set(items.map((it) => it.label)).size >= 2) io.stdout.write(renderComparison(items, { markdown: flags.markdown }));
  else io.stdout.write(`only ${items[0]?.label ?? 'no broker'} produced results: nothing to compare side by side (the results are in ${dir})\n`);
  return writeCiFiles(
    io,
    flags,
    brokers.flatMap((b) => runs.get(b.label)!.map((results, i) => ({ results, label: b.label, repeat: i + 1 }))),
    worst,
  );
}

/** A failed run or bad usage outranks failed thresholds, which outrank success. */
export function worse(worst: number, code: number): number {
  if (code === ExitCode.runFailed || code === ExitCode.usage) return code;
  return code === ExitCode.thresholds && worst === ExitCode.ok ? code : worst;
}
