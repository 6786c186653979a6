/**
 * The command line as an importable program: `buildProgram(io)` wires every command's flags to its function,
 * with the process state it may touch passed in (`io`), so a test can run any command in-process. main.ts
 * hands it the real process.
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_DRIVER, DRIVER_NAMES } from '../driver/registry.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import {
  parseCooldownArg,
  parseDurationArg,
  parseLevelArg,
  parseLoadArg,
  parsePracticalArg,
  parseScaleArg,
  parseSeedArg,
  parseThresholdArg,
  parseWorkersArg,
} from './args.js';
import { withBrokerObserveOptions } from './brokerFlags.js';
import { capacityCommand, capacityFlagsFrom } from './capacity.js';
import { compareCommand, compareFlagsFrom } from './compare.js';
import { parseRunIdArg, parseSegmentArg, parseStartAtArg } from './distributed.js';
import { doctorCommand, doctorFlagsFrom, parseConnectionsArg } from './doctor.js';
import {
  SUITE_HELP,
  CAPACITY_HELP,
  COMPARE_HELP,
  DOCTOR_HELP,
  INIT_HELP,
  MERGE_HELP,
  PLAN_HELP,
  PROGRAM_HELP,
  REPORT_HELP,
  RUN_HELP,
  VALIDATE_HELP,
} from './helpText.js';
import { initCommand } from './init.js';
import type { CliIo } from './io.js';
import { readOptions } from './options.js';
import { mergeCommand } from './merge.js';
import { parseFdsArg, parseHeadroomArg, parseMemoryArg, planCommand, planFlagsFrom } from './plan.js';
import { parsePortArg } from './prometheus.js';
import { runProcesses } from './processes.js';
import { reportCommand } from './report.js';
import { runOne } from './run.js';
import { isComparison, runFlagsFrom, type RunFlags } from './runFlags.js';
import { runComparison } from './runMany.js';
import { validateCommand } from './validate.js';
import { suiteCommand, suiteFlagsFrom } from './suite.js';
import { addQuickCommands } from './quick/register.js';

/** `mqbench run`: a comparison, N processes or one run, by the flags. Returns the exit code. */
export function runCommand(io: CliIo, file: string, flags: RunFlags): Promise<number> {
  if (isComparison(flags)) return runComparison(io, file, flags);
  if (flags.processes > 1) return runProcesses(io, file, flags);
  return runOne(io, file, flags);
}

export interface Program {
  command: Command;
  /** Parses `argv` (as process.argv: node, script, arguments…) and runs the command; resolves with the exit code. */
  parseAsync(argv: readonly string[]): Promise<number>;
}

export function buildProgram(io: CliIo): Program {
  let code: number = ExitCode.ok;
  const program = new Command();
  program
    .name('mqbench')
    .description('MQTT load generator and benchmark: open-model load, HDR latency, delivery checked message by message.')
    .version(VERSION, '-V, --version')
    // -V after a command is that command's (mqbench pub -V 3: the MQTT version), not the program's --version.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => void io.stderr.write(s), writeOut: (s) => void io.stdout.write(s) });

  const done: Done = (c) => void (code = c);
  addRun(program, io, done);
  addValidate(program, io, done);
  addCompare(program, io, done);
  addReport(program, io, done);
  addMerge(program, io, done);
  addCapacity(program, io, done);
  addSuite(program, io, done);
  addPlan(program, io, done);
  addDoctor(program, io, done);
  addInit(program, io, done);
  addQuickCommands(program, io, done);
  program.addHelpText('after', PROGRAM_HELP);

  return {
    command: program,
    async parseAsync(argv) {
      code = ExitCode.ok;
      try {
        await program.parseAsync([...argv]);
        return code;
      } catch (err) {
        return errorExitCode(io, err);
      }
    },
  };
}

/** --help and --version end in a CommanderError with exit code 0; usage mistakes get 2; a UserError its own. */
function errorExitCode(io: CliIo, err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (err instanceof UserError) {
    io.stderr.write(`mqbench: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}\n`);
    return err.exitCode;
  }
  io.stderr.write(`mqbench: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  return ExitCode.runFailed;
}

/** Takes the exit code of the command that ran. */
type Done = (code: number) => void;

function addRun(program: Command, io: CliIo, done: Done): void {
  withBrokerObserveOptions(program.command('run'))
    .description('run a scenario against a broker and write a results JSON')
    .argument('<scenario>', 'scenario YAML file')
    .option(
      '-b, --broker <url>',
      'broker URL (mqtt://, mqtts://, ws://, wss://) or "embedded"; overrides target.url. Repeat it (name=url) to compare brokers',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--repeat <n>', 'with several brokers: run each this many times, interleaved (A B A B …), and print medians', parseWorkersArg)
    .option('--markdown', 'with several brokers: print the comparison as a Markdown table')
    .option('-d, --duration <duration>', 'steady-state duration, e.g. 30s or 2m; overrides the scenario', parseDurationArg)
    .option(
      '--scale <factor>',
      "multiply every group's client count by this factor (rounded; a group of several clients keeps at least 2, every group at least 1, each change printed) with its publish and connect rates following its new count, so each client behaves as written; the open-files check runs on the scaled counts. E.g. 0.1 or 10",
      parseScaleArg,
    )
    .option('-w, --workers <n>', 'worker threads (default: CPU cores - 1, at least 1)', parseWorkersArg)
    .option('-o, --out <file>', 'results file (default: results/<scenario>-<timestamp>.json)')
    .option('-q, --quiet', 'no live progress line; a short status line every 5 s on stderr')
    .option('--threshold <expr>', 'pass/fail check, e.g. "endToEnd.p99 < 50ms" (repeatable; added to the scenario\'s thresholds)', parseThresholdArg)
    .addOption(new Option('--driver <name>', 'MQTT client: lean (default) or mqttjs (mqtt.js, to cross-check)').choices(DRIVER_NAMES).default(DEFAULT_DRIVER))
    .option('--segment <i/N>', "run segment i of N (0-based) of every group's clients; combine the shards with mqbench merge", parseSegmentArg)
    .option('--run-id <id>', 'run id shared by all segments ({run} in ids and topics); with --segment, required unless --start-at is given', parseRunIdArg)
    .option('--start-at <time>', 'begin publishing at this ISO time (e.g. 2030-01-02T03:04:05Z); connect before it', parseStartAtArg)
    .option('--start-delay <duration>', 'begin publishing this long after start (e.g. 30s)', parseDurationArg)
    .option(
      '--processes <n>',
      "run as N generator processes on this machine (segments k/N, merged into one result): past one process's open-files limit",
      parseWorkersArg,
    )
    .option('--prometheus <port>', 'serve live metrics for Prometheus on http://127.0.0.1:<port>/metrics while the run lasts', parsePortArg)
    .option('--no-verdict-fail', 'report a broken delivery promise (loss at QoS 1/2, duplicates at QoS 2, missing retained messages) without exit 3')
    .option('--junit <file>', 'also write JUnit XML for CI: one test case per threshold and delivery verdict, per broker')
    .option('--csv <file>', 'also write a CSV: summary and per-second rows (long form: broker,scenario,repeat,section,t,phase,metric,value)')
    .addHelpText('after', RUN_HELP)
    .action(async (file: string, opts: Record<string, unknown>) => {
      done(await runCommand(io, file, runFlagsFrom(opts)));
    });
}

function addValidate(program: Command, io: CliIo, done: Done): void {
  program
    .command('validate')
    .description('check a scenario file and print every problem with file:line:col')
    .argument('<scenario>', 'scenario YAML file')
    .option('--processes <n>', 'check the open-files limit per process as `run --processes N` splits the clients', parseWorkersArg)
    .addHelpText('after', VALIDATE_HELP)
    .action(async (file: string, opts: Record<string, unknown>) => {
      done(await validateCommand(io, file, readOptions(opts).num('processes')));
    });
}

function addCompare(program: Command, io: CliIo, done: Done): void {
  program
    .command('compare')
    .description('compare results side by side: medians, bootstrap intervals and a verdict only where a difference is real')
    .argument('<results...>', 'results JSON files; label=file names a side, label=a.json,b.json (or the same label twice) gives it repeated runs')
    .option('--markdown', 'print a GitHub Markdown table instead of a terminal table')
    .option('--level <p>', 'confidence level of the intervals and of significance (default 0.95)', parseLevelArg)
    .option('--practical <change>', 'smallest relative change worth a verdict (default 5%)', parsePracticalArg)
    .option('--seed <n>', 'seed of the bootstrap (default 1): the same files always give the same output', parseSeedArg)
    .option(
      '--fail-on <gates>',
      'regression gates from the first side (baseline) to the second, e.g. "endToEnd.p99 > +10%, throughput.receivedPerSec < -5%": exit 3 when one trips',
    )
    .option('--junit <file>', 'with --fail-on: write the gates as JUnit XML')
    .option('--json <file>', 'also write the worked-out comparison as JSON')
    .addHelpText('after', COMPARE_HELP)
    .action(async (files: string[], opts: Record<string, unknown>) => {
      done(await compareCommand(io, files, compareFlagsFrom(opts)));
    });
}

function addReport(program: Command, io: CliIo, done: Done): void {
  program
    .command('report')
    .description('write one self-contained HTML report (tables and charts, no network needed) for results files')
    .argument('<results...>', 'one or more results JSON files; write label=file to name a run')
    .option('-o, --out <file>', 'file to write (default: results/report-<UTC timestamp>.html; with --format mqttbs: stdout)')
    .addOption(
      new Option('--format <format>', "html: the report page; mqttbs: the Open MQTT Benchmark Suite's results table and full disclosure, as Markdown")
        .choices(['html', 'mqttbs'])
        .default('html'),
    )
    .addHelpText('after', REPORT_HELP)
    .action(async (files: string[], opts: Record<string, unknown>) => {
      done(await reportCommand(io, files, { out: readOptions(opts).str('out'), format: opts.format === 'mqttbs' ? 'mqttbs' : 'html' }));
    });
}

function addMerge(program: Command, io: CliIo, done: Done): void {
  program
    .command('merge')
    .description('merge the results of the segments of one distributed run (--segment i/N) into one exact result')
    .argument('<shards...>', 'results JSON files, one per segment')
    .option('-o, --out <file>', 'merged results file (default: results/<scenario>-merged-<run id>.json)')
    .option('--threshold <expr>', "pass/fail check on the merged result (repeatable; added to the scenario's thresholds)", parseThresholdArg)
    .option('--no-verdict-fail', 'report a broken delivery promise without exit 3')
    .addHelpText('after', MERGE_HELP)
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const o = readOptions(opts);
      done(await mergeCommand(io, files, { out: o.str('out'), threshold: o.thresholds('threshold'), verdictFail: opts.verdictFail !== false }));
    });
}

function addSuite(program: Command, io: CliIo, done: Done): void {
  program
    .command('suite')
    .description('run every scenario against every broker, interleaved, and write the results, a comparison, a Markdown summary and one HTML report')
    .argument('<scenarios...>', 'a folder of scenario YAML files, or the files')
    .option('-b, --broker <name=url>', 'a broker to test, named (repeatable): mosquitto=mqtt://127.0.0.1:1883', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option('--repeat <n>', 'runs of each scenario against each broker (interleaved A B A B …)', parseWorkersArg, 1)
    .option('-o, --out <folder>', 'folder for everything the suite writes (default: results/suite-<UTC timestamp>/)')
    .option('--cooldown <duration>', "pause between two runs, so one broker's backlog does not reach the next run (default 5s)", parseCooldownArg)
    .option('-d, --duration <duration>', 'steady-state duration of every run; overrides the scenarios', parseDurationArg)
    .option('-w, --workers <n>', 'worker threads per run', parseWorkersArg)
    .addOption(new Option('--driver <name>', 'MQTT client: lean (default) or mqttjs (mqtt.js, to cross-check)').choices(DRIVER_NAMES).default(DEFAULT_DRIVER))
    .option('--no-verdict-fail', 'report a broken delivery promise without exit 3')
    .option('--junit <file>', 'also write JUnit XML: a test suite per broker, scenario and run, a test case per threshold and verdict')
    .option('--csv <file>', 'also write a CSV of every run: summary and per-second rows')
    .addHelpText('after', SUITE_HELP)
    .action(async (inputs: string[], opts: Record<string, unknown>) => {
      done(await suiteCommand(io, inputs, suiteFlagsFrom(opts)));
    });
}

function addCapacity(program: Command, io: CliIo, done: Done): void {
  withBrokerObserveOptions(program.command('capacity'))
    .description('find the highest load that meets an SLO: step the publish rate (or connections) up, then bisect')
    .argument('<scenario>', 'scenario YAML file (its publishing groups keep their shares of the rate)')
    .requiredOption('--slo <expressions>', 'comma-separated threshold expressions that must all hold, e.g. "endToEnd.p99<20ms,messages.lost==0"')
    .option('--from <load>', 'first step: a rate like 1000/s (or a connection count for scenarios without publishers)', parseLoadArg)
    .option('--to <load>', 'ceiling for the search', parseLoadArg)
    .option('-b, --broker <url>', 'broker URL or "embedded"; overrides target.url')
    .option('--step-duration <duration>', 'measured time of each step', parseDurationArg, 5000)
    .option('-w, --workers <n>', 'worker threads', parseWorkersArg)
    .option('-o, --out <file>', 'results file (default: results/<scenario>-capacity-<timestamp>.json)')
    .addOption(new Option('--driver <name>', 'MQTT client: lean (default) or mqttjs (mqtt.js, to cross-check)').choices(DRIVER_NAMES).default(DEFAULT_DRIVER))
    .option('--junit <file>', 'also write JUnit XML for CI: capacity within the SLO, and the checks of the best step')
    .option('--csv <file>', 'also write a CSV of the best step: summary and per-second rows')
    .addHelpText('after', CAPACITY_HELP)
    .action(async (file: string, opts: Record<string, unknown>) => {
      done(await capacityCommand(io, file, capacityFlagsFrom(opts)));
    });
}

function addPlan(program: Command, io: CliIo, done: Done): void {
  program
    .command('plan')
    .description('capacity planning: how many broker nodes of the measured size a fleet needs, which resource binds, how sure that is')
    .argument('<capacity-results...>', 'results of mqbench capacity (label=file names one); a rate search and a connection search together judge both')
    .requiredOption('--fleet <spec>', 'the fleet: comma-separated key=value, e.g. "devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers"')
    .option('--headroom <share>', 'share of every resource kept free (default 30%)', parseHeadroomArg)
    .option(
      '--node-memory <size>',
      'memory of one broker node, e.g. 32GiB: with a measured memory per connection, judges connections by memory',
      parseMemoryArg,
    )
    .option('--node-fds <n>', 'open-files limit of the broker process on one node: judges connections by file descriptors', parseFdsArg)
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'html']).default('markdown'))
    .option('-o, --out <file>', 'write the plan here (default: print it)')
    .addHelpText('after', PLAN_HELP)
    .action(async (files: string[], opts: Record<string, unknown>) => {
      done(await planCommand(io, files, planFlagsFrom(opts)));
    });
}

function addDoctor(program: Command, io: CliIo, done: Done): void {
  program
    .command('doctor')
    .description('preflight: machine limits against the planned load, and what the broker supports')
    .option('-b, --broker <url>', "broker to probe (mqtt://, mqtts://, ws://, wss://); overrides the scenario's target.url")
    .option('-c, --connections <n>', "connections you plan to open from this machine (default: the scenario's clients)", parseConnectionsArg)
    .option('-s, --scenario <file>', 'scenario YAML: its clients, target and features (QoS, retain, $share) are checked')
    .addOption(new Option('--driver <name>', 'driver the run will use (for the memory estimate)').choices(DRIVER_NAMES).default(DEFAULT_DRIVER))
    .addHelpText('after', DOCTOR_HELP)
    .action(async (opts: Record<string, unknown>) => {
      done(await doctorCommand(io, doctorFlagsFrom(opts)));
    });
}

function addInit(program: Command, io: CliIo, done: Done): void {
  program
    .command('init')
    .description('write a commented starter scenario (with a $schema line for editor completion and checks)')
    .argument('[kind]', 'which starter (default: fanout)')
    .option('-o, --out <file>', "file to write (default: ./<name>.yaml, the kind's last part; a folder: <folder>/<name>.yaml)")
    .option('-f, --force', 'overwrite the file if it exists')
    .addHelpText('after', INIT_HELP)
    .action(async (kind: string | undefined, opts: Record<string, unknown>) => {
      const o = readOptions(opts);
      done(await initCommand(io, kind, { out: o.str('out'), force: o.flag('force') }));
    });
}
