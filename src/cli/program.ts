/**
 * The command line as an importable program: `buildProgram(io)` wires every command's flags to its function,
 * with the process state it may touch passed in (`io`), so a test can run any command in-process. main.ts
 * hands it the real process.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, UserError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { parseLevelArg, parsePracticalArg, parseSeedArg, parseWorkersArg } from './args.js';
import { withCommonFlags, type Done } from './commonFlags.js';
import { compareCommand, compareFlagsFrom } from './compare.js';
import { doctorCommand, doctorFlagsFrom, parseConnectionsArg } from './doctor.js';
import { COMPARE_HELP, DOCTOR_HELP, INIT_HELP, MERGE_HELP, PLAN_HELP, PROGRAM_HELP, REPORT_HELP, VALIDATE_HELP } from './helpText.js';
import { initCommand } from './init.js';
import type { CliIo } from './io.js';
import { addCapacity, addRun, addSuite } from './loadCommands.js';
import { mergeCommand } from './merge.js';
import { readOptions } from './options.js';
import { parseFdsArg, parseHeadroomArg, parseMemoryArg, planCommand, planFlagsFrom } from './plan.js';
import { reportCommand } from './report.js';
import { validateCommand } from './validate.js';
import { addQuickCommands } from './quick/register.js';

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
  const cmd = program
    .command('merge')
    .description('merge the results of the segments of one distributed run (--segment i/N) into one exact result')
    .argument('<shards...>', 'results JSON files, one per segment');
  withCommonFlags(cmd, {
    out: 'merged results file (default: results/<scenario>-merged-<run id>.json)',
    threshold: "pass/fail check on the merged result (repeatable; added to the scenario's thresholds)",
    verdictFail: 'report a broken delivery promise without exit 3',
  })
    .addHelpText('after', MERGE_HELP)
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const o = readOptions(opts);
      done(await mergeCommand(io, files, { out: o.str('out'), threshold: o.thresholds('threshold'), verdictFail: opts.verdictFail !== false }));
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
  const cmd = program
    .command('doctor')
    .description('preflight: machine limits against the planned load, and what the broker supports')
    .option('-b, --broker <url>', "broker to probe (mqtt://, mqtts://, ws://, wss://); overrides the scenario's target.url")
    .option('-c, --connections <n>', "connections you plan to open from this machine (default: the scenario's clients)", parseConnectionsArg)
    .option('-s, --scenario <file>', 'scenario YAML: its clients, target and features (QoS, retain, $share) are checked');
  withCommonFlags(cmd, { driver: 'driver the run will use (for the memory estimate)' })
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
