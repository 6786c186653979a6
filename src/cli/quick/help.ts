/** The examples and notes the quick commands' --help ends with. */
import type { QuickKind } from './flags.js';

const COMMON = `
How long: --duration (default 10s) after the clients have connected, then a 2 s drain; for pub, -L <n> instead
sets the duration so that n messages are sent in all (rounded up to a multiple of -c, and said so).
Intervals: a bare number is milliseconds as in emqtt-bench (-I 10 = 10 ms); units work too (10ms, 1s).
The run is an ordinary scenario: same engine, latency, table, results JSON and exit codes as mqbench run.
--save <file> writes it as YAML (mqbench run <file> runs the same plan); --dry-run only shows it.
A password (-P) is never printed, written to results or saved: a saved file reads \${MQBENCH_PASSWORD}.

Exit codes: 0 ok · 1 run failed (e.g. broker unreachable) · 2 bad flags · 3 thresholds or delivery verdicts failed · 130 interrupted`;

export const QUICK_HELP: Record<QuickKind, string> = {
  pub: `
Examples:
  $ mqbench pub -c 100 -I 10ms -t 'bench/%i' -s 256 -q 1 --broker mqtt://127.0.0.1:1883
  $ mqbench pub -c 10 -I 100 -t 'bench/%c' -L 10000 -h broker.local -u dev -P "$PW"
  $ mqbench pub -c 1000 -I 1s -t 'telemetry/%i' --duration 1m --save telemetry.yaml
Each client publishes every -I (open model: latency from the intended send time). Topics: %i is the client's
index from 0 (emqtt-bench counts from 1), %c its client id, %u the username. Nothing subscribes in this run:
run mqbench sub in another terminal to time the messages end to end.
${COMMON}`,
  sub: `
Examples:
  $ mqbench sub -c 10 -t 'bench/#' --broker mqtt://127.0.0.1:1883 --duration 1m
  $ mqbench sub -c 1 -t 'bench/+' -q 1 -V 3 -h 127.0.0.1 -p 1883
Messages with the mqbench header from any other mqbench run (e.g. mqbench pub elsewhere) are timed end to end
(the clocks of both processes must agree: same machine, or synchronised hosts) and counted as "from other
mqbench runs"; other messages are counted as "foreign". This run planned none of them, so there is no loss or
duplicate verdict. Payloads of other runs below 32 bytes (the compact header) cannot be read and count as foreign.
${COMMON}`,
  conn: `
Examples:
  $ mqbench conn -c 5000 -i 1 --broker mqtt://127.0.0.1:1883 --duration 1m
  $ mqbench conn -c 60000 --ifaddr 127.0.0.2,127.0.0.3,127.0.0.4 -k 30
Opens -c connections at one per -i, holds them for --duration, and reports connect latency and failures.
${COMMON}`,
};
