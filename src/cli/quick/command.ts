/**
 * `mqbench pub | sub | conn`: the flags become a scenario (scenario.ts), checked by the scenario loader as a file
 * would be and run by the same path as `mqbench run` (runOne: same engine, accounting, table, results JSON and
 * exit codes). `--save` writes that scenario as YAML first; `--dry-run` stops before anything connects.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaReference } from '../../scenario/starters.js';
import { ExitCode, UserError } from '../../shared/errors.js';
import type { CliIo } from '../io.js';
import { runOne } from '../run.js';
import { loadScenarioFile } from '../scenarioFile.js';
import type { RunFlags } from '../runFlags.js';
import type { ObserveFlags } from '../../observe/request.js';
import type { QuickFlags, QuickKind } from './flags.js';
import { PASSWORD_ENV, quickDocument, quickYaml } from './scenario.js';

/** The package's scenario schema, wherever it is installed (dist/cli/quick/ → the package root). */
const SCHEMA_FILE = fileURLToPath(new URL('../../../schema/scenario.schema.json', import.meta.url));

/** What a quick command does besides the scenario: where results go, how the run shows itself, --save. */
export interface QuickRunFlags extends ObserveFlags {
  save?: string;
  dryRun: boolean;
  out?: string;
  quiet: boolean;
  driver: string;
  verdictFail: boolean;
  junit?: string;
  csv?: string;
}

/** TLS files as the scenario's folder sees them: relative to the saved file's folder (the run reads them from there). */
function filesFrom(dir: string, f: QuickFlags): QuickFlags {
  const at = (p: string | undefined) => {
    if (p === undefined || isAbsolute(p)) return p;
    const rel = relative(dir, resolve(p));
    return rel === '' ? p : rel;
  };
  return { ...f, cafile: at(f.cafile), certfile: at(f.certfile), keyfile: at(f.keyfile) };
}

async function save(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(file, text);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${(err as Error).message}`, ExitCode.usage);
  }
}

/** The password reaches the scenario as ${MQBENCH_PASSWORD}: the loader then treats it as a secret everywhere. */
function withPassword(io: CliIo, flags: QuickFlags): CliIo {
  return flags.password === undefined ? io : { ...io, env: { ...io.env, [PASSWORD_ENV]: flags.password } };
}

/** Runs a quick command; resolves with the exit code. */
export async function quickCommand(io: CliIo, kind: QuickKind, flags: QuickFlags, run: QuickRunFlags): Promise<number> {
  const file = run.save ?? `<mqbench ${kind}>`;
  const q = quickDocument(kind, run.save ? filesFrom(dirname(resolve(run.save)), flags) : flags);
  for (const note of q.notes) io.stderr.write(`mqbench: ${note}\n`);
  const text = quickYaml(q, run.save ? schemaReference(run.save, SCHEMA_FILE) : SCHEMA_FILE);
  if (run.save) {
    await save(run.save, text);
    io.stderr.write(`mqbench: wrote ${run.save}; run the same plan again with: mqbench run ${run.save}\n`);
    if (flags.password !== undefined) io.stderr.write(`mqbench: the password is not in ${run.save}: it reads \${${PASSWORD_ENV}}, set it first\n`);
  }
  if (run.dryRun) {
    // Checked as a run would check it, so a dry run refuses what the run would refuse.
    const loaded = await loadScenarioFile(withPassword(io, flags), file, {}, text);
    if (typeof loaded === 'number') return loaded;
    if (!run.save) io.stdout.write(text);
    return ExitCode.ok;
  }
  const runFlags: RunFlags = {
    brokers: [],
    repeat: 1,
    markdown: false,
    quiet: run.quiet,
    driver: run.driver,
    threshold: [],
    processes: 1,
    verdictFail: run.verdictFail,
    out: run.out,
    junit: run.junit,
    csv: run.csv,
    brokerPid: run.brokerPid,
    brokerMetrics: run.brokerMetrics,
    brokerMetricsPreset: run.brokerMetricsPreset,
    brokerMetric: run.brokerMetric,
    brokerSys: run.brokerSys,
  };
  return runOne(withPassword(io, flags), file, runFlags, { summary: true, quiet: run.quiet }, text);
}
