/**
 * The quick commands' wiring: `mqbench pub`, `mqbench sub` and `mqbench conn` with the flags an emqtt-bench or
 * MQTTX `bench` user types (flags.ts), each run through quickCommand (command.ts). program.ts registers them
 * with one call.
 */
import type { Command } from 'commander';
import { DEFAULT_DRIVER } from '../../driver/registry.js';
import { withBrokerObserveOptions } from '../brokerFlags.js';
import { DRIVER_HELP, withCommonFlags } from '../commonFlags.js';
import type { CliIo } from '../io.js';
import { observeFlagsOf } from '../../observe/request.js';
import { readOptions } from '../options.js';
import { quickCommand } from './command.js';
import { intArg, parseBoolArg, parseIfaddrArg, parseIntervalArg, parseQosArg, parseVersionArg, quickFlagsFrom, type QuickKind } from './flags.js';
import { QUICK_HELP } from './help.js';

const DESCRIPTIONS: Record<QuickKind, string> = {
  pub: 'quick publish load from flags (emqtt-bench / MQTTX bench style): -c clients each publishing every -I to -t',
  sub: 'quick subscribers from flags: -c clients on -t, timing messages of any other mqbench run (e.g. mqbench pub)',
  conn: 'quick connection load from flags: open -c connections, one every -i, and hold them',
};

function withConnectionFlags(cmd: Command): Command {
  return cmd
    .helpOption('--help', 'show this help')
    .option('-c, --count <n>', 'clients (default 200)', intArg(1, 10_000_000))
    .option('-i, --interval <ms>', 'pause between two connects: 10 = 10 ms, or 10ms, 1s (default 10 ms)', parseIntervalArg)
    .option('-h, --host <host>', 'broker host (default localhost)')
    .option('-p, --port <port>', 'broker port (default 1883, with --ssl 8883)', intArg(1, 65_535))
    .option('--broker <url>', 'broker URL instead of -h/-p: mqtt://, mqtts://, ws://, wss://')
    .option('-u, --username <name>', 'username')
    .option('-P, --password <secret>', `password: never printed or saved (a saved scenario reads \${MQBENCH_PASSWORD})`)
    .option('-V, --version <3|4|5>', 'MQTT version: 3 = 3.1, 4 = 3.1.1, 5 (default 5)', parseVersionArg)
    .option('-k, --keepalive <sec>', 'keep-alive in seconds (default 60)', intArg(0, 65_535))
    .option('-C, --clean <true|false>', 'clean start / clean session (default true)', parseBoolArg)
    .option('--ifaddr <addresses>', 'local source addresses, comma-separated: client i binds address i mod n', parseIfaddrArg)
    .option('--prefix <prefix>', 'client id prefix: ids are <prefix>_bench_<command>_<i> (default mqb-<run>-<command>-<i>)')
    .option('-S, --ssl', 'TLS (mqtts://)')
    .option('--cafile <file>', 'CA certificate(s) to trust (PEM)')
    .option('--certfile <file>', 'client certificate (PEM)')
    .option('--keyfile <file>', 'client private key (PEM)')
    .option('--insecure', 'do not check the server certificate');
}

function withRunFlags(cmd: Command): Command {
  return withCommonFlags(withBrokerObserveOptions(cmd), {
    duration: 'how long to run once connected, e.g. 30s (default 10s; for pub, -L sets it)',
    workers: 'worker threads (default: CPU cores - 1, at least 1)',
    out: 'results file (default: results/quick-<command>-<timestamp>.json)',
    threshold: 'pass/fail check, e.g. "endToEnd.p99 < 50ms" (repeatable; exit 3 when one fails)',
    driver: DRIVER_HELP,
    verdictFail: 'report a broken delivery promise without exit 3',
    junit: 'also write JUnit XML for CI',
    csv: 'also write a CSV of the run',
  })
    .option('--quiet', 'no live progress line; a short status line every 5 s on stderr')
    .option('--save <file>', 'write the equivalent scenario YAML first (mqbench run <file> runs the same plan)')
    .option('--dry-run', 'do not connect: print the scenario YAML (or only write it, with --save)');
}

function addOne(program: Command, io: CliIo, kind: QuickKind, done: (code: number) => void): void {
  const cmd = withConnectionFlags(program.command(kind).description(DESCRIPTIONS[kind]));
  if (kind !== 'conn') {
    cmd
      .option('-t, --topic <topic>', 'topic; %i = client index (from 0), %c = client id, %u = username')
      .option('-q, --qos <0|1|2>', `QoS of the ${kind === 'pub' ? 'messages' : 'subscriptions'} (default 0)`, parseQosArg);
  }
  if (kind === 'pub') {
    cmd
      .option('-I, --interval-of-msg <ms>', "each client's pause between two messages: 10 = 10 ms, or 10ms, 1s (default 1 s)", parseIntervalArg)
      .option('-s, --size <bytes>', "payload size, mqbench's header included (at least 16; default 256)", intArg(16, 268_435_455))
      .option('-m, --message <text>', "send this text as the payload, without mqbench's header (no end-to-end latency or loss check)")
      .option('-r, --retain', 'publish retained messages')
      .option('-L, --limit <n>', 'messages to publish in all, over all clients (sets the duration; 0 = no limit)', intArg(0, 1e12));
  }
  withRunFlags(cmd)
    .addHelpText('after', QUICK_HELP[kind])
    .action(async (opts: Record<string, unknown>) => {
      const o = readOptions(opts);
      done(
        await quickCommand(io, kind, quickFlagsFrom(opts), {
          save: o.str('save'),
          dryRun: o.flag('dryRun'),
          out: o.str('out'),
          quiet: o.flag('quiet'),
          driver: o.str('driver') ?? DEFAULT_DRIVER,
          verdictFail: opts.verdictFail !== false,
          junit: o.str('junit'),
          csv: o.str('csv'),
          ...observeFlagsOf(opts),
        }),
      );
    });
}

/** Registers `pub`, `sub` and `conn` on the program. */
export function addQuickCommands(program: Command, io: CliIo, done: (code: number) => void): void {
  for (const kind of ['pub', 'sub', 'conn'] as const) addOne(program, io, kind, done);
}
