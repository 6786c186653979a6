#!/usr/bin/env node
/**
 * The command line: the one place that touches process (argv, exit codes, signals, stdout).
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, UserError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { compareCommand } from './compare.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { parseDurationArg, parseLoadArg, parseScaleArg, parseThresholdArg, parseWorkersArg } from './args.js';
import type { Threshold } from '../thresholds/parse.js';
import { capacityCommand } from './capacity.js';
import { parseRunIdArg, parseSegmentArg, parseStartAtArg } from './distributed.js';
import { mergeCommand } from './merge.js';
import { initCommand } from './init.js';
import { listKinds } from '../scenario/starters.js';
import { doctorCommand, parseConnectionsArg } from './doctor.js';
import { parsePortArg } from './prometheus.js';
import { parseFdsArg, parseHeadroomArg, parseMemoryArg, planCommand } from './plan.js';

// `mqbench … | head` closes the pipe early: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const program = new Command();
program
  .name('mqbench')
  .description('MQTT load generator and benchmark: open-model load, HDR latency, delivery checked message by message.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

program
  .command('run')
  .description('run a scenario against a broker and write a results JSON')
  .argument('<scenario>', 'scenario YAML file')
  .option('-b, --broker <url>', 'broker URL (mqtt://, mqtts://, ws://, wss://) or "embedded"; overrides target.url. Repeat it (name=url) to compare brokers', (v: string, prev: string[] = []) => [...prev, v])
  .option('--repeat <n>', 'with several brokers: run each this many times, interleaved (A B A B …), and print medians', parseWorkersArg)
  .option('--markdown', 'with several brokers: print the comparison as a Markdown table')
  .option('-d, --duration <duration>', 'steady-state duration, e.g. 30s or 2m; overrides the scenario', parseDurationArg)
  .option('--scale <factor>', 'multiply every group\'s client count (and its publish rate) by this factor, e.g. 0.1 or 10', parseScaleArg)
  .option('-w, --workers <n>', 'worker threads (default: CPU cores - 1, at least 1)', parseWorkersArg)
  .option('-o, --out <file>', 'results file (default: results/<scenario>-<timestamp>.json)')
  .option('-q, --quiet', 'no live progress line; a short status line every 5 s on stderr')
  .option('--threshold <expr>', 'pass/fail check, e.g. "endToEnd.p99 < 50ms" (repeatable; added to the scenario\'s thresholds)', parseThresholdArg)
  .addOption(new Option('--driver <name>', 'MQTT client: lean (default) or mqttjs (mqtt.js, to cross-check)').choices(['lean', 'mqttjs']).default('lean'))
  .option('--segment <i/N>', 'run segment i of N (0-based) of every group\'s clients; combine the shards with mqbench merge', parseSegmentArg)
  .option('--run-id <id>', 'run id shared by all segments ({run} in ids and topics); with --segment, required unless --start-at is given', parseRunIdArg)
  .option('--start-at <time>', 'begin publishing at this ISO time (e.g. 2030-01-02T03:04:05Z); connect before it', parseStartAtArg)
  .option('--start-delay <duration>', 'begin publishing this long after start (e.g. 30s)', parseDurationArg)
  .option('--processes <n>', 'run as N generator processes on this machine (segments k/N, merged into one result): past one process\'s open-files limit', parseWorkersArg)
  .option('--prometheus <port>', 'serve live metrics for Prometheus on http://127.0.0.1:<port>/metrics while the run lasts', parsePortArg)
  .option('--no-verdict-fail', 'report a broken delivery promise (loss at QoS 1/2, duplicates at QoS 2, missing retained messages) without exit 3')
  .addHelpText(
    'after',
    `
Examples:
  $ mqbench run scenarios/fanout.yaml                          # on the embedded broker
  $ mqbench run scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --duration 30s --out r.json
  $ mqbench run scenarios/fanout.yaml --broker mosquitto=mqtt://127.0.0.1:1883 --broker emqx=mqtt://127.0.0.1:1884 --repeat 3 --markdown
                                   # compare: each run's JSON goes to --out (a folder, default results/)
  $ mqbench run scenarios/fanout.yaml --threshold "endToEnd.p99 < 50ms" --threshold "messages.lost == 0"
  $ mqbench run big.yaml --processes 3                 # 3 local processes, one merged results file

Thresholds: <metric> <op> <value>, op one of < <= > >= == !=; metrics <connect|publishAck|endToEnd|
endToEndUncorrected|reconnect>.<min|mean|p50|p90|p99|p999|max> (us, ms or s; plain = ms), messages.<field>,
connections.<field>, throughput.<sentPerSec|receivedPerSec> (plain or /s). A threshold on a metric with no data
(e.g. messages.lost when nothing was expected) fails with "no data".

--out is checked before anything connects. If the results still cannot be written there at the end, the
summary is printed anyway and the results go to a file in the temporary folder, whose path is printed.

Verdicts: what a QoS promises is judged at the QoS the broker granted (SUBACK) and ran (PUBACK for QoS 2). A
broken promise fails the run (exit 3) unless --no-verdict-fail. Features the broker does not offer ($share,
retained messages for wildcard filters: probed before the run) are reported and counted apart, not as loss.

Exit codes: 0 ok · 1 run failed (e.g. broker unreachable), or the results could not be written to --out · 2 invalid usage or scenario · 3 thresholds or delivery verdicts failed · 130 interrupted (partial results written)`,
  )
  .action(async (file: string, opts) => {
    process.exitCode = await runCommand(file, opts);
  });

program
  .command('validate')
  .description('check a scenario file and print every problem with file:line:col')
  .argument('<scenario>', 'scenario YAML file')
  .option('--processes <n>', 'check the open-files limit per process as `run --processes N` splits the clients', parseWorkersArg)
  .addHelpText(
    'after',
    `
Example:
  $ mqbench validate scenarios/fanout.yaml

Exit codes: 0 valid · 2 problems found (one per line: file:line:col path: message)`,
  )
  .action(async (file: string, opts: { processes?: number }) => {
    process.exitCode = await validateCommand(file, opts.processes);
  });

program
  .command('compare')
  .description('compare results files side by side (b/a ratio and the better side for two files)')
  .argument('<results...>', 'two or more results JSON files; write label=file to name a column')
  .option('--markdown', 'print a GitHub Markdown table instead of a terminal table')
  .addHelpText(
    'after',
    `
Examples:
  $ mqbench compare results/mosquitto.json results/emqx.json
  $ mqbench compare mosquitto=results/a.json emqx=results/b.json nanomq=results/c.json --markdown > compare.md

Lower is better for latency, loss and failures; higher for throughput. With more than two files the best
value in each row is marked with *.

Exit codes: 0 ok · 2 invalid usage or a results file that cannot be read`,
  )
  .action(async (files: string[], opts: { markdown?: boolean }) => {
    process.exitCode = await compareCommand(files, opts);
  });

program
  .command('report')
  .description('write one self-contained HTML report (tables and charts, no network needed) for results files')
  .argument('<results...>', 'one or more results JSON files; write label=file to name a run')
  .option('-o, --out <file>', 'file to write (default: results/report-<UTC timestamp>.html; with --format mqttbs: stdout)')
  .addOption(new Option('--format <format>', 'html: the report page; mqttbs: the Open MQTT Benchmark Suite\'s results table and full disclosure, as Markdown').choices(['html', 'mqttbs']).default('html'))
  .addHelpText(
    'after',
    `
Examples:
  $ mqbench report results/*.json --out report.html
  $ mqbench report mosquitto=results/a.json emqx=results/b.json --out compare.html
  $ mqbench report --format mqttbs mosquitto=results/p2p-m.json rabbitmq=results/p2p-r.json > p2p.md

--format mqttbs: one table per use case (scenario name) with the suite's columns — actual message rate,
average and p99 pub-to-sub latency, max/avg broker CPU user+system, max/avg broker memory — then a
full-disclosure section per run. Broker figures come only from what the run observed ("not measured"
otherwise); CPU shows the busiest broker thread next to the host share.

The page has the summary per run, latency by percentile (from the HDR histograms), throughput, latency and
connections per second, delivery per QoS, thresholds and, for capacity results, latency versus rate.
Everything is inline: open it from disk, mail it, attach it to CI.

Exit codes: 0 ok · 2 invalid usage or a results file that cannot be read`,
  )
  .action(async (files: string[], opts: { out?: string; format?: 'html' | 'mqttbs' }) => {
    process.exitCode = await reportCommand(files, opts);
  });

program
  .command('merge')
  .description('merge the results of the segments of one distributed run (--segment i/N) into one exact result')
  .argument('<shards...>', 'results JSON files, one per segment')
  .option('-o, --out <file>', 'merged results file (default: results/<scenario>-merged-<run id>.json)')
  .option('--threshold <expr>', 'pass/fail check on the merged result (repeatable; added to the scenario\'s thresholds)', parseThresholdArg)
  .option('--no-verdict-fail', 'report a broken delivery promise without exit 3')
  .addHelpText(
    'after',
    `
Example:
  $ mqbench merge results/shard-*.json -o results/merged.json

Counters and HDR histograms are added; percentiles, loss and verdicts are recomputed from the sums.
Exit codes: 0 ok · 1 merged run partial or failed · 2 unreadable files, different runs or scenarios · 3 thresholds or delivery verdicts failed`,
  )
  .action(async (files: string[], opts: { out?: string; threshold?: Threshold[]; verdictFail?: boolean }) => {
    process.exitCode = await mergeCommand(files, opts);
  });

program
  .command('capacity')
  .description('find the highest load that meets an SLO: step the publish rate (or connections) up, then bisect')
  .argument('<scenario>', 'scenario YAML file (its publishing groups keep their shares of the rate)')
  .requiredOption('--slo <expressions>', 'comma-separated threshold expressions that must all hold, e.g. "endToEnd.p99<20ms,messages.lost==0"')
  .option('--from <load>', 'first step: a rate like 1000/s (or a connection count for scenarios without publishers)', parseLoadArg)
  .option('--to <load>', 'ceiling for the search', parseLoadArg)
  .option('-b, --broker <url>', 'broker URL or "embedded"; overrides target.url')
  .option('--step-duration <duration>', 'measured time of each step', parseDurationArg, 5000)
  .option('-w, --workers <n>', 'worker threads', parseWorkersArg)
  .option('-o, --out <file>', 'results file (default: results/<scenario>-capacity-<timestamp>.json)')
  .addOption(new Option('--driver <name>', 'MQTT client: lean (default) or mqttjs (mqtt.js, to cross-check)').choices(['lean', 'mqttjs']).default('lean'))
  .addHelpText(
    'after',
    `
Examples:
  $ mqbench capacity scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --slo "endToEnd.p99<20ms,messages.lost==0"
  $ mqbench capacity scenarios/connections.yaml --slo "connections.failed==0" --from 1000 --to 19000

Each step is a full run (connect, warm-up, --step-duration). The load doubles while the SLO holds, then
bisects between the last pass and the first failure. A step where mqbench itself saturates stops the search
with that message instead of a wrong answer. Exit codes: 0 a max found · 1 none · 2 usage · 130 interrupted`,
  )
  .action(async (file: string, opts) => {
    process.exitCode = await capacityCommand(file, opts);
  });

program
  .command('plan')
  .description('capacity planning: how many broker nodes of the measured size a fleet needs, which resource binds, how sure that is')
  .argument('<capacity-results...>', 'results of mqbench capacity (label=file names one); a rate search and a connection search together judge both')
  .requiredOption('--fleet <spec>', 'the fleet: comma-separated key=value, e.g. "devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers"')
  .option('--headroom <share>', 'share of every resource kept free (default 30%)', parseHeadroomArg)
  .option('--node-memory <size>', 'memory of one broker node, e.g. 32GiB: with a measured memory per connection, judges connections by memory', parseMemoryArg)
  .option('--node-fds <n>', 'open-files limit of the broker process on one node: judges connections by file descriptors', parseFdsArg)
  .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'html']).default('markdown'))
  .option('-o, --out <file>', 'write the plan here (default: print it)')
  .addHelpText(
    'after',
    `
Fleet keys: devices=<n> (required); every=<duration> or rate=<n/s> per device (one is required);
qos=0|1|2 (default 1); size=<bytes> (default: as measured); fanin=<n> (n shared consumers, each message
delivered once) or fanout=<n> (each message to n subscribers); or deliveries=<per message>, consumers=<n>.
Numbers may be written 1000000, 1,000,000, 250k or 1M.

Examples:
  $ mqbench capacity scenarios/fanin.yaml --broker mqtt://10.0.0.5:1883 --slo "endToEnd.p99<50ms,messages.lost==0" --out results/rate-capacity.json
  $ mqbench capacity scenarios/connections.yaml --broker mqtt://10.0.0.5:1883 --slo "connections.failed==0" --out results/conn-capacity.json
  $ mqbench plan --fleet "devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers" results/*-capacity.json
  $ mqbench plan --fleet "devices=250k, rate=1/s, fanout=2" --headroom 40% --node-memory 32GiB --format html --out plan.html results/rate-capacity.json

For each resource a result measured (or a --node-* flag states): nodes = ⌈fleet need / (one node's capacity ×
(1 − headroom))⌉; the most nodes any resource needs is the answer, and that resource binds. The output writes
the model out and says how far the fleet per node lies outside what was measured (confidence high, medium, low).
Exit codes: 0 a node count · 1 no resource could be judged · 2 bad usage, fleet spec or results file`,
  )
  .action(async (files: string[], opts: { fleet: string; headroom?: number; nodeMemory?: number; nodeFds?: number; format: 'markdown' | 'html'; out?: string }) => {
    process.exitCode = await planCommand(files, opts);
  });

program
  .command('doctor')
  .description('preflight: machine limits against the planned load, and what the broker supports')
  .option('-b, --broker <url>', 'broker to probe (mqtt://, mqtts://, ws://, wss://); overrides the scenario\'s target.url')
  .option('-c, --connections <n>', 'connections you plan to open from this machine (default: the scenario\'s clients)', parseConnectionsArg)
  .option('-s, --scenario <file>', 'scenario YAML: its clients, target and features (QoS, retain, $share) are checked')
  .addOption(new Option('--driver <name>', 'driver the run will use (for the memory estimate)').choices(['lean', 'mqttjs']).default('lean'))
  .addHelpText(
    'after',
    `
Examples:
  $ mqbench doctor --connections 20000
  $ mqbench doctor --broker mqtt://127.0.0.1:1883
  $ mqbench doctor --scenario scenarios/fanout.yaml --broker mqtt://broker:1883

One line per check (ok, WARN or FAIL), the command that fixes each problem under it, then a summary.
Machine: open files, ephemeral ports, somaxconn, memory, CPU cores. Broker (when one is given): TCP reachability,
MQTT 3.1.1 and 5 connects, max QoS, retain, shared subscriptions, $SYS version, a TCP no-delay latency hint.
Every probe is bounded to a few seconds and uses unique topics under mqbench-doctor-<id>/.

Exit codes: 0 no FAIL · 1 a check failed · 2 invalid usage or scenario`,
  )
  .action(async (opts) => {
    process.exitCode = await doctorCommand(opts);
  });

program
  .command('init')
  .description('write a commented starter scenario (with a $schema line for editor completion and checks)')
  .argument('[kind]', 'which starter (default: fanout)')
  .option('-o, --out <file>', 'file to write (default: ./<name>.yaml, the kind\'s last part; a folder: <folder>/<name>.yaml)')
  .option('-f, --force', 'overwrite the file if it exists')
  .addHelpText(
    'after',
    `
Kinds (each is the shipped scenario of that name, with its explaining comments):
${listKinds()}

Examples:
  $ mqbench init                                  # ./fanout.yaml
  $ mqbench init qos-mix --out scenarios/mix.yaml
  $ mqbench init mqttbs/singlenode-p2p-1K-1K-1K-1K   # ./singlenode-p2p-1K-1K-1K-1K.yaml (the name alone works too)
  $ mqbench validate scenarios/mix.yaml && mqbench run scenarios/mix.yaml --broker mqtt://127.0.0.1:1883

Exit codes: 0 written · 2 unknown kind, or the file exists (add --force)`,
  )
  .action(async (kind: string | undefined, opts: { out?: string; force?: boolean }) => {
    process.exitCode = await initCommand(kind, opts);
  });

program.addHelpText(
  'after',
  `
Examples:
  $ mqbench run scenarios/fanout.yaml
  $ mqbench run scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --duration 10s
  $ mqbench validate scenarios/fanout.yaml
  $ mqbench compare results/a.json results/b.json
  $ mqbench report results/*.json --out report.html
  $ mqbench plan --fleet "devices=1000000, every=10s, fanin=10" results/*-capacity-*.json
  $ mqbench doctor --broker mqtt://127.0.0.1:1883 --connections 10000`,
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with exit code 0; usage mistakes get exit code 2.
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else if (err instanceof UserError) {
    process.stderr.write(`mqbench: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`mqbench: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = ExitCode.runFailed;
  }
}

