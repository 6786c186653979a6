/**
 * `mqbench suite`: every scenario against every broker, interleaved (for each repeat, each scenario, each broker
 * in turn: A B A B …) so drift on the generator machine hits all brokers alike, with a cool-down between runs.
 * Each broker is probed first: one that does not answer is skipped, and so is a scenario needing a feature the
 * broker does not offer ($share, retained messages to wildcards, QoS 2), each with a clear note. The folder gets
 * every results file, one comparison JSON, a Markdown summary and one HTML report; Ctrl-C keeps what finished.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { needsProbe, probeCapabilities } from '../doctor/capabilities.js';
import { driverByName } from '../driver/registry.js';
import { probeBroker } from '../driver/probe.js';
import { renderHtmlReport } from '../report/html.js';
import { loadChartLibrary } from '../report/htmlAssets.js';
import { readResultsFile, utcStamp } from '../report/json.js';
import { suiteComparison, suiteMarkdown, type SuiteOutcome, type SuiteRun, type SuiteSkip } from '../report/suiteSummary.js';
import type { LoadedScenario } from '../scenario/load.js';
import { redactUrl } from '../scenario/redact.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { checkCiFilesBeforeRun, writeAtomically, writeCiFiles, type CiFlags } from './ciFiles.js';
import type { CliIo } from './io.js';
import { readOptions } from './options.js';
import { checkOutBeforeRun } from './output.js';
import { overrideBroker } from './overrides.js';
import { runOne } from './run.js';
import type { RunFlags } from './runFlags.js';
import { parseNamedBroker, worse, type NamedBroker } from './runMany.js';
import { loadRunScenario } from './scenarioFile.js';

export interface SuiteFlags extends CiFlags {
  brokers: string[];
  repeat: number;
  out?: string;
  /** ms between two runs. */
  cooldown: number;
  duration?: number;
  workers?: number;
  driver: string;
  verdictFail: boolean;
}

export function suiteFlagsFrom(o: Record<string, unknown>): SuiteFlags {
  const { num, str, strings } = readOptions(o);
  return {
    brokers: strings('broker'),
    repeat: num('repeat') ?? 1,
    out: str('out'),
    cooldown: num('cooldown') ?? 5000,
    duration: num('duration'),
    workers: num('workers'),
    driver: str('driver') ?? 'mqttjs',
    verdictFail: o.verdictFail !== false,
    junit: str('junit'),
    csv: str('csv'),
  };
}

/** Scenario files: the YAML files of a folder (sorted), or the files given. */
async function scenarioFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const st = await stat(input).catch(() => null);
    if (!st) throw new UserError(`suite: ${input}: no such file or folder`, ExitCode.usage, 'give a folder of scenario YAML files, or the files');
    if (!st.isDirectory()) files.push(input);
    else
      files.push(
        ...(await readdir(input))
          .filter((f) => /\.ya?ml$/i.test(f))
          .sort()
          .map((f) => join(input, f)),
      );
  }
  if (files.length === 0) throw new UserError('suite: no scenario files found', ExitCode.usage, 'a folder needs .yaml or .yml files');
  return files;
}

const scenarioName = (file: string): string => basename(file, extname(file));

/** Reachability of each broker, then the features each scenario needs: what to skip, and why. */
async function probeAll(io: CliIo, scenarios: { file: string; loaded: LoadedScenario }[], brokers: NamedBroker[], driver: string): Promise<SuiteSkip[]> {
  const skipped: SuiteSkip[] = [];
  for (const b of brokers) {
    if (b.url === 'embedded') continue; // started per run; aedes offers what mqbench uses
    const problem = await probeBroker(b.url);
    if (problem) {
      io.stderr.write(`mqbench suite: ${b.label} (${redactUrl(b.url)}) does not answer: ${problem}; its runs are skipped\n`);
      for (const s of scenarios) skipped.push({ scenario: basename(s.file), broker: b.label, reason: `broker unreachable (${problem})` });
      continue;
    }
    for (const s of scenarios) {
      const target = overrideBroker(s.loaded.scenario, b.url);
      if (!needsProbe(target)) continue;
      const lacking = (await probeCapabilities(target, driverByName(driver))).filter((p) => p.offered === false);
      if (lacking.length === 0) continue;
      const reason = `the broker does not offer ${lacking.map((p) => `${p.feature} (${p.finding})`).join('; ')}`;
      io.stderr.write(`mqbench suite: skipping ${basename(s.file)} on ${b.label}: ${reason}\n`);
      skipped.push({ scenario: basename(s.file), broker: b.label, reason });
    }
  }
  return skipped;
}

/** A cool-down that a Ctrl-C cuts short. */
function pause(ms: number, stop: { stopped: boolean; wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || stop.stopped) return resolve();
    const t = setTimeout(resolve, ms);
    stop.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });
}

export async function suiteCommand(io: CliIo, inputs: string[], flags: SuiteFlags): Promise<number> {
  if (flags.brokers.length === 0)
    throw new UserError(
      'suite: give at least one --broker name=url',
      ExitCode.usage,
      'e.g. --broker mosquitto=mqtt://127.0.0.1:1883 --broker rabbitmq=mqtt://127.0.0.1:1884',
    );
  const brokers = flags.brokers.map(parseNamedBroker);
  if (new Set(brokers.map((b) => b.label)).size !== brokers.length)
    throw new UserError('each --broker needs its own label', ExitCode.usage, 'name them: --broker a=mqtt://host:1883 --broker b=mqtt://host:1884');
  const files = await scenarioFiles(inputs);
  const scenarios: { file: string; loaded: LoadedScenario }[] = [];
  for (const file of files) {
    const loaded = await loadRunScenario(io, file, 1);
    if (typeof loaded === 'number') return loaded;
    scenarios.push({ file, loaded });
  }
  const dir = flags.out ?? join('results', `suite-${utcStamp(new Date())}`);
  await checkOutBeforeRun(dir, 'results', { folder: true });
  await checkCiFilesBeforeRun(flags);
  io.stderr.write(`mqbench suite: ${scenarios.length} scenario(s) × ${brokers.length} broker(s) × ${flags.repeat} repeat(s) → ${dir}\n`);
  const skipped = await probeAll(io, scenarios, brokers, flags.driver);
  const stop: { stopped: boolean; wake?: () => void } = { stopped: false };
  const release = io.onSignal(() => {
    stop.stopped = true;
    stop.wake?.();
  });
  const runs: SuiteRun[] = [];
  let worst: number = ExitCode.ok;
  let first = true;
  try {
    outer: for (let r = 1; r <= flags.repeat; r++) {
      for (const s of scenarios) {
        for (const b of brokers) {
          if (skipped.some((k) => k.scenario === basename(s.file) && k.broker === b.label)) continue;
          if (!first) await pause(flags.cooldown, stop);
          first = false;
          if (stop.stopped) break outer;
          const out = join(dir, `${scenarioName(s.file)}-${b.label}-${r}.json`);
          io.stdout.write(`== ${basename(s.file)} · ${b.label} · run ${r} of ${flags.repeat}\n`);
          const one: RunFlags = {
            brokers: [b.url],
            brokerLabel: b.label,
            repeat: 1,
            markdown: false,
            duration: flags.duration,
            workers: flags.workers,
            out,
            quiet: true,
            driver: flags.driver,
            threshold: [],
            processes: 1,
            verdictFail: flags.verdictFail,
          };
          const code = await runOne(io, s.file, one, { summary: false, quiet: true });
          const results = await readResultsFile(out).catch(() => null); // a run that wrote nothing is left out
          if (results) runs.push({ scenario: basename(s.file), broker: b.label, repeat: r, file: basename(out), results });
          if (code === ExitCode.interrupted || stop.stopped) {
            stop.stopped = true;
            break outer;
          }
          worst = worse(worst, code);
        }
      }
    }
  } finally {
    release();
  }
  const outcome: SuiteOutcome = {
    name: basename(dir),
    brokers: brokers.map((b) => ({ label: b.label, url: redactUrl(b.url) })),
    scenarios: scenarios.map((s) => basename(s.file)),
    repeat: flags.repeat,
    runs,
    skipped,
    ...(stop.stopped ? { interrupted: true } : {}),
  };
  await writeAtomically(join(dir, 'comparison.json'), `${JSON.stringify(suiteComparison(outcome), null, 2)}\n`);
  await writeAtomically(join(dir, 'summary.md'), suiteMarkdown(outcome));
  if (runs.length > 0) {
    const html = renderHtmlReport(
      runs.map((r) => ({ label: r.broker, results: r.results })),
      { library: await loadChartLibrary(), generatedAt: new Date() },
    );
    await writeAtomically(join(dir, 'report.html'), html);
  }
  io.stdout.write(
    `\nSuite ${stop.stopped ? 'interrupted' : 'done'}: ${runs.length} run(s)${skipped.length ? `, ${skipped.length} skipped` : ''}. ` +
      `Written to ${dir}: the results files, comparison.json, summary.md${runs.length > 0 ? ', report.html' : ''}\n`,
  );
  const code = await writeCiFiles(
    io,
    flags,
    runs.map((r) => ({ results: r.results, label: r.broker, repeat: r.repeat })),
    stop.stopped ? ExitCode.interrupted : worst,
  );
  return code;
}
