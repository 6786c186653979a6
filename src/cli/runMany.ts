import { join } from 'node:path';
import type { Results } from '../metrics/types.js';
import { readResultsFile } from '../report/json.js';
import { renderComparison } from '../report/compare.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { checkBrokerFlag } from './overrides.js';
import { writeCiFiles } from './ciFiles.js';

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

export interface ManyFlags {
  brokers: NamedBroker[];
  repeat: number;
  markdown: boolean;
  /** Folder for the per-run results files. */
  dir: string;
  /** --junit / --csv: one file for every run of the comparison. */
  junit?: string;
  csv?: string;
}

/**
 * Runs the same scenario against every target in turn, interleaved (A B A B …) so that drift on the
 * generator machine spreads over all targets, then prints each figure's median and min–max.
 * `runOne` is `mqbench run` for one target, writing its results to `out`; it returns the exit code.
 */
export async function runComparison(
  scenarioName: string,
  flags: ManyFlags,
  runOne: (broker: NamedBroker, out: string) => Promise<number>,
  print: (text: string) => void,
): Promise<number> {
  const labels = new Set(flags.brokers.map((b) => b.label));
  if (labels.size !== flags.brokers.length) throw new UserError('each --broker needs its own label', ExitCode.usage, 'name them: --broker a=mqtt://host:1883 --broker b=mqtt://host:1884');
  const runs = new Map<string, Results[]>(flags.brokers.map((b) => [b.label, []]));
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  let worst: number = ExitCode.ok;
  for (let r = 1; r <= flags.repeat; r++) {
    for (const b of flags.brokers) {
      const out = join(flags.dir, `${scenarioName}-${b.label}-${stamp}-${r}.json`);
      print(`\n== run ${r} of ${flags.repeat} against ${b.label}\n`);
      const code = await runOne(b, out);
      if (code === ExitCode.interrupted) return code;
      if (code === ExitCode.runFailed || code === ExitCode.usage) worst = code;
      else if (code === ExitCode.thresholds && worst === ExitCode.ok) worst = code;
      try {
        runs.get(b.label)!.push(await readResultsFile(out));
      } catch {
        // a run that wrote nothing (e.g. broker unreachable) is left out of the medians
      }
    }
  }
  print('\n');
  const items = flags.brokers.flatMap((b) => runs.get(b.label)!.map((results) => ({ label: b.label, results })));
  worst = await writeCiFiles(flags, flags.brokers.flatMap((b) => runs.get(b.label)!.map((results, i) => ({ results, label: b.label, repeat: i + 1 }))), worst);
  const sides = new Set(items.map((it) => it.label));
  if (sides.size >= 2) print(renderComparison(items, { markdown: flags.markdown }));
  else print(`only ${[...sides].join('') || 'no broker'} produced results: nothing to compare\n`);
  return worst;
}
