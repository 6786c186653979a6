/**
 * The commands that put load on a broker: `run`, `capacity` and `suite`. They share their flags through
 * commonFlags.ts (and the broker-watching ones through brokerFlags.ts); each says what a flag means for it.
 */
import type { Command } from 'commander';
import { parseCooldownArg, parseDurationArg, parseLoadArg, parseScaleArg, parseWorkersArg } from './args.js';
import { withBrokerObserveOptions } from './brokerFlags.js';
import { capacityCommand, capacityFlagsFrom } from './capacity.js';
import { DRIVER_HELP, repeatable, withCommonFlags, type Done } from './commonFlags.js';
import { parseRunIdArg, parseSegmentArg, parseStartAtArg } from './distributed.js';
import { CAPACITY_HELP, RUN_HELP, SUITE_HELP } from './helpText.js';
import type { CliIo } from './io.js';
import { runProcesses } from './processes.js';
import { parsePortArg } from './prometheus.js';
import { runOne } from './run.js';
import { isComparison, runFlagsFrom, type RunFlags } from './runFlags.js';
import { runComparison } from './runMany.js';
import { suiteCommand, suiteFlagsFrom } from './suite.js';

/** `mqbench run`: a comparison, N processes or one run, by the flags. Returns the exit code. */
export function runCommand(io: CliIo, file: string, flags: RunFlags): Promise<number> {
  if (isComparison(flags)) return runComparison(io, file, flags);
  if (flags.processes > 1) return runProcesses(io, file, flags);
  return runOne(io, file, flags);
}

export function addRun(program: Command, io: CliIo, done: Done): void {
  const cmd = withBrokerObserveOptions(program.command('run'))
    .description('run a scenario against a broker and write a results JSON')
    .argument('<scenario>', 'scenario YAML file')
    .option(
      '-b, --broker <url>',
      'broker URL (mqtt://, mqtts://, ws://, wss://) or "embedded"; overrides target.url. Repeat it (name=url) to compare brokers',
      repeatable,
    )
    .option('--repeat <n>', 'with several brokers: run each this many times, interleaved (A B A B …), and print medians', parseWorkersArg)
    .option('--markdown', 'with several brokers: print the comparison as a Markdown table')
    .option(
      '--scale <factor>',
      "multiply every group's client count by this factor (rounded; a group of several clients keeps at least 2, every group at least 1, each change printed) with its publish and connect rates following its new count, so each client behaves as written; the open-files check runs on the scaled counts. E.g. 0.1 or 10",
      parseScaleArg,
    )
    .option('-q, --quiet', 'no live progress line; a short status line every 5 s on stderr')
    .option('--segment <i/N>', "run segment i of N (0-based) of every group's clients; combine the shards with mqbench merge", parseSegmentArg)
    .option('--run-id <id>', 'run id shared by all segments ({run} in ids and topics); with --segment, required unless --start-at is given', parseRunIdArg)
    .option('--start-at <time>', 'begin publishing at this ISO time (e.g. 2030-01-02T03:04:05Z); connect before it', parseStartAtArg)
    .option('--start-delay <duration>', 'begin publishing this long after start (e.g. 30s)', parseDurationArg)
    .option(
      '--processes <n>',
      "run as N generator processes on this machine (segments k/N, merged into one result): past one process's open-files limit",
      parseWorkersArg,
    )
    .option('--prometheus <port>', 'serve live metrics for Prometheus on http://127.0.0.1:<port>/metrics while the run lasts', parsePortArg);
  withCommonFlags(cmd, {
    duration: 'steady-state duration, e.g. 30s or 2m; overrides the scenario',
    workers: 'worker threads (default: CPU cores - 1, at least 1)',
    out: 'results file (default: results/<scenario>-<timestamp>.json)',
    threshold: 'pass/fail check, e.g. "endToEnd.p99 < 50ms" (repeatable; added to the scenario\'s thresholds)',
    driver: DRIVER_HELP,
    verdictFail: 'report a broken delivery promise (loss at QoS 1/2, duplicates at QoS 2, missing retained messages) without exit 3',
    junit: 'also write JUnit XML for CI: one test case per threshold and delivery verdict, per broker',
    csv: 'also write a CSV: summary and per-second rows (long form: broker,scenario,repeat,section,t,phase,metric,value)',
  })
    .addHelpText('after', RUN_HELP)
    .action(async (file: string, opts: Record<string, unknown>) => {
      done(await runCommand(io, file, runFlagsFrom(opts)));
    });
}

export function addCapacity(program: Command, io: CliIo, done: Done): void {
  const cmd = withBrokerObserveOptions(program.command('capacity'))
    .description('find the highest load that meets an SLO: step the publish rate (or connections) up, then bisect')
    .argument('<scenario>', 'scenario YAML file (its publishing groups keep their shares of the rate)')
    .requiredOption('--slo <expressions>', 'comma-separated threshold expressions that must all hold, e.g. "endToEnd.p99<20ms,messages.lost==0"')
    .option('--from <load>', 'first step: a rate like 1000/s (or a connection count for scenarios without publishers)', parseLoadArg)
    .option('--to <load>', 'ceiling for the search', parseLoadArg)
    .option('-b, --broker <url>', 'broker URL or "embedded"; overrides target.url')
    .option('--step-duration <duration>', 'measured time of each step', parseDurationArg, 5000);
  withCommonFlags(cmd, {
    workers: 'worker threads',
    out: 'results file (default: results/<scenario>-capacity-<timestamp>.json)',
    driver: DRIVER_HELP,
    junit: 'also write JUnit XML for CI: capacity within the SLO, and the checks of the best step',
    csv: 'also write a CSV of the best step: summary and per-second rows',
  })
    .addHelpText('after', CAPACITY_HELP)
    .action(async (file: string, opts: Record<string, unknown>) => {
      done(await capacityCommand(io, file, capacityFlagsFrom(opts)));
    });
}

export function addSuite(program: Command, io: CliIo, done: Done): void {
  const cmd = program
    .command('suite')
    .description('run every scenario against every broker, interleaved, and write the results, a comparison, a Markdown summary and one HTML report')
    .argument('<scenarios...>', 'a folder of scenario YAML files, or the files')
    .option('-b, --broker <name=url>', 'a broker to test, named (repeatable): mosquitto=mqtt://127.0.0.1:1883', repeatable)
    .option('--repeat <n>', 'runs of each scenario against each broker (interleaved A B A B …)', parseWorkersArg, 1)
    .option('-o, --out <folder>', 'folder for everything the suite writes (default: results/suite-<UTC timestamp>/)')
    .option('--cooldown <duration>', "pause between two runs, so one broker's backlog does not reach the next run (default 5s)", parseCooldownArg);
  withCommonFlags(cmd, {
    duration: 'steady-state duration of every run; overrides the scenarios',
    workers: 'worker threads per run',
    driver: DRIVER_HELP,
    verdictFail: 'report a broken delivery promise without exit 3',
    junit: 'also write JUnit XML: a test suite per broker, scenario and run, a test case per threshold and verdict',
    csv: 'also write a CSV of every run: summary and per-second rows',
  })
    .addHelpText('after', SUITE_HELP)
    .action(async (inputs: string[], opts: Record<string, unknown>) => {
      done(await suiteCommand(io, inputs, suiteFlagsFrom(opts)));
    });
}
