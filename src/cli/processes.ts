/**
 * `mqbench run --processes N`: one run as N generator processes on this machine, to go past one process's
 * open-files limit (each socket is a file descriptor) and onto more cores. Child k is `mqbench run
 * --segment k/N` with a shared --run-id, writing its segment into a temporary folder; the results are then
 * merged exactly (metrics/merge.ts, as `mqbench merge` does) into one results file, and the summary is
 * printed as for a single run.
 *
 * When publishing starts: by default at a start barrier (children.ts) — every child connects at its own pace,
 * and once all have connected they are told one start time 1 s ahead. A start time fixed in advance (what
 * segments on several machines need) fails the whole run when connecting takes longer than foreseen, and on
 * a small machine connecting is often far slower than the planned rate (measured here: ~1,200/s for a planned
 * 3,000/s). With --start-at or --start-delay the children get that time as --start-at instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeResults, type Shard } from '../metrics/merge.js';
import { checkThresholds } from '../thresholds/evaluate.js';
import { segmentClients } from '../plan/segment.js';
import { defaultResultsPath, readResultsFile } from '../report/json.js';
import { runThresholds } from '../run.js';
import type { Scenario } from '../scenario/model.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { forwardSignals, startBarrier, startChild } from './children.js';
import { resultsExitCode, showAndSave } from './finish.js';
import type { CliIo } from './io.js';
import { checkOutBeforeRun } from './output.js';
import { scenarioAsRun } from './overrides.js';
import type { RunFlags, RunView } from './runFlags.js';
import { printScenarioWarnings } from './scenarioFile.js';
import { prepareTarget } from './target.js';
import { loadRunScenario } from './scenarioFile.js';

const usage = (message: string, hint?: string) => new UserError(message, ExitCode.usage, hint);

/** After the barrier, publishing starts this long after the start message is sent (it reaches every child first). */
const PROCESS_BARRIER_LEAD_MS = 1000;

/** What a child is told of the parent's options: those that shape the run. */
export interface ChildFlags {
  driver: string;
  broker?: string;
  duration?: number;
  scale?: number;
  workers?: number;
}

/** The arguments of child k: the parent's run options that shape the run, plus its segment (and --start-at if fixed). */
export function childArgs(file: string, flags: ChildFlags, k: number, n: number, runId: string, startAt: number | undefined, out: string): string[] {
  const args = ['run', file, '--segment', `${k}/${n}`, '--run-id', runId, '--out', out, '--quiet', '--driver', flags.driver];
  if (startAt !== undefined) args.push('--start-at', new Date(startAt).toISOString());
  if (flags.broker !== undefined) args.push('--broker', flags.broker);
  if (flags.duration) args.push('--duration', `${flags.duration}ms`);
  if (flags.scale) args.push('--scale', String(flags.scale));
  if (flags.workers) args.push('--workers', String(flags.workers));
  return args;
}

/** Options that cannot be shared by N processes, and scenarios that cannot be split N ways. */
function refuse(flags: RunFlags, scenario: Scenario, n: number): void {
  if (flags.segment)
    throw usage('--processes and --segment exclude each other', 'across machines, give each process of every machine its own --segment i/N of the total');
  if (flags.prometheus !== undefined)
    throw usage('--prometheus cannot be used with --processes', 'run the processes as segments (--segment i/N), each with its own --prometheus port');
  if (scenario.target.url === 'embedded')
    throw usage('--processes needs a real broker that every process connects to, not "embedded"', 'use --broker mqtt://host:1883, target.url or target.urls');
  for (let k = 0; k < n; k++) {
    if (segmentClients(scenario, { index: k, count: n }) === 0)
      throw usage(`--processes ${n}: process ${k} would have no clients (the scenario has fewer clients than processes)`);
  }
  if (flags.startAt !== undefined && flags.startDelay !== undefined) throw usage('--start-at and --start-delay exclude each other');
}

/** `mqbench run --processes N`: returns the exit code. */
export async function runProcesses(io: CliIo, file: string, flags: RunFlags, view: RunView = { summary: true, quiet: flags.quiet }): Promise<number> {
  const n = flags.processes;
  const loaded = await loadRunScenario(io, file, n, flags.scale);
  if (typeof loaded === 'number') return loaded;
  const scenario = scenarioAsRun(loaded.scenario, { ...flags, broker: flags.brokers[0] });
  await checkOutBeforeRun(flags.out);
  printScenarioWarnings(io, loaded, scenario);
  refuse(flags, scenario, n);
  await prepareTarget(io, scenario); // every broker URL answers: one line for each that does not, before N processes start

  const now = Date.now();
  const startAt = flags.startAt ?? (flags.startDelay !== undefined ? now + flags.startDelay : undefined);
  if (startAt !== undefined && startAt <= now) throw usage(`--start-at ${new Date(startAt).toISOString()} is in the past`);
  const runId = flags.runId ?? randomBytes(4).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'mqbench-processes-'));
  const outs = Array.from({ length: n }, (_, k) => join(dir, `segment-${k}-of-${n}.json`));
  const when = startAt === undefined ? 'publishing starts once all have connected' : `publishing starts at ${new Date(startAt).toISOString()}`;
  io.stderr.write(`mqbench: ${n} processes, run ${runId}: ${when}; segment results in ${dir}\n`);

  // The machine's worker threads are shared out: (cores − 1) / N per process, at least 1, unless set.
  const workers = flags.workers ?? scenario.workers ?? Math.max(1, Math.floor((availableParallelism() - 1) / n));
  const child: ChildFlags = { driver: flags.driver, broker: flags.brokers[0], duration: flags.duration, scale: flags.scale, workers };
  const codes = await runChildren(
    io,
    outs.map((out, k) => childArgs(file, child, k, n, runId, startAt, out)),
    startAt === undefined,
    now,
  );
  return finish(io, scenario, flags, { outs, dir, summary: view.summary, ...codes });
}

/** Starts the children (at a start barrier when `gated`), forwards signals, waits for every one to exit. */
async function runChildren(io: CliIo, args: string[][], gated: boolean, startedAt: number): Promise<{ codes: (number | null)[]; interrupted: boolean }> {
  const n = args.length;
  const children = args.map((a, k) => startChild(`${k}/${n}`, a, io, gated));
  const signals = forwardSignals(children, io);
  if (gated) {
    void startBarrier(children, PROCESS_BARRIER_LEAD_MS).then((b) => {
      if (b)
        io.stderr.write(
          `mqbench: ${b.connected} of ${n} processes connected after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; publishing starts at ${new Date(b.at).toISOString()}\n`,
        );
    });
  }
  try {
    return { codes: await Promise.all(children.map((c) => c.exited)), interrupted: signals.interrupted() };
  } finally {
    signals.release();
  }
}

interface Finished {
  outs: string[];
  codes: (number | null)[];
  dir: string;
  interrupted: boolean;
  summary: boolean;
}

/** The segments each process wrote; a missing or unreadable one is said and left out. */
async function readShards(io: CliIo, f: Finished): Promise<Shard[]> {
  const shards: Shard[] = [];
  for (const [k, path] of f.outs.entries()) {
    if (!existsSync(path)) {
      io.stderr.write(`mqbench: process ${k}/${f.outs.length} wrote no results (exit code ${f.codes[k] ?? 'none: killed'})\n`);
      continue;
    }
    try {
      shards.push({ path, results: await readResultsFile(path) });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      io.stderr.write(`mqbench: process ${k}/${f.outs.length}: ${e.message}\n`);
    }
  }
  return shards;
}

/** Merge what the processes wrote, check thresholds on the totals, write and print like a single run. */
async function finish(io: CliIo, scenario: Scenario, flags: RunFlags, f: Finished): Promise<number> {
  const shards = await readShards(io, f);
  if (shards.length === 0) {
    io.stderr.write(`mqbench: no process wrote results; nothing to merge (kept ${f.dir})\n`);
    if (f.interrupted) return ExitCode.interrupted;
    return f.codes.every((c) => c === ExitCode.usage) ? ExitCode.usage : ExitCode.runFailed;
  }
  const merged = mergeResults(shards);
  const thresholds = runThresholds(scenario, flags.threshold);
  if (thresholds.length > 0) merged.thresholds = checkThresholds(merged, thresholds);
  const out = flags.out ?? defaultResultsPath(scenario.name, new Date(merged.startedAt));
  const saved = await showAndSave(io, merged, out, f.summary);
  // The segments are the last copy when the merged file did not reach --out: keep them then.
  if (shards.length === f.outs.length && saved.ok) await rm(f.dir, { recursive: true, force: true });
  else io.stderr.write(`mqbench: the segment results are kept in ${f.dir}\n`);
  if (saved.ok) io.stderr.write(`results of ${shards.length} of ${f.outs.length} processes merged and written to ${out}\n`);
  return resultsExitCode(io, merged, { saved, interrupted: f.interrupted, verdictFail: flags.verdictFail });
}
