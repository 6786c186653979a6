/** The examples and notes each command's --help ends with. */
import { listKinds } from '../scenario/starters.js';

export const RUN_HELP = `
Examples:
  $ mqbench run scenarios/fanout.yaml                          # on the embedded broker
  $ mqbench run scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --duration 30s --out r.json
  $ mqbench run scenarios/fanout.yaml --broker mosquitto=mqtt://127.0.0.1:1883 --broker emqx=mqtt://127.0.0.1:1884 --repeat 3 --markdown
                                   # compare: each run's JSON goes to --out (a folder, default results/)
  $ mqbench run scenarios/fanout.yaml --threshold "endToEnd.p99 < 50ms" --threshold "messages.lost == 0"
  $ mqbench run big.yaml --processes 3                 # 3 local processes, one merged results file
  $ mqbench run scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --broker-pid $(pgrep -x mosquitto)   # and watch the broker
  $ mqbench run scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --broker-metrics http://127.0.0.1:15692/metrics   # RabbitMQ

Thresholds: <metric> <op> <value>, op one of < <= > >= == !=; metrics <connect|publishAck|endToEnd|
endToEndUncorrected|reconnect>.<min|mean|p50|p90|p99|p999|max> (us, ms or s; plain = ms), messages.<field>,
connections.<field>, throughput.<sentPerSec|receivedPerSec> (plain or /s). A threshold on a metric with no data
(e.g. messages.lost when nothing was expected) fails with "no data".

--out is checked before anything connects. If the results still cannot be written there at the end, the
summary is printed anyway and the results go to a file in the temporary folder, whose path is printed.

Verdicts: what a QoS promises is judged at the QoS the broker granted (SUBACK) and ran (PUBACK for QoS 2). A
broken promise fails the run (exit 3) unless --no-verdict-fail. Features the broker does not offer ($share,
retained messages for wildcard filters: probed before the run) are reported and counted apart, not as loss.

Exit codes: 0 ok · 1 run failed (e.g. broker unreachable), or the results could not be written to --out · 2 invalid usage or scenario · 3 thresholds or delivery verdicts failed · 130 interrupted (partial results written)`;

export const VALIDATE_HELP = `
Example:
  $ mqbench validate scenarios/fanout.yaml

Exit codes: 0 valid · 2 problems found (one per line: file:line:col path: message)`;

export const COMPARE_HELP = `
Examples:
  $ mqbench compare results/mosquitto.json results/emqx.json
  $ mqbench compare mosquitto=m1.json,m2.json,m3.json emqx=e1.json,e2.json,e3.json --markdown > compare.md
  $ mqbench compare results/shootout/fanout-*.json        # unlabelled files: sides by broker and scenario
  $ mqbench compare baseline.json current.json --fail-on "endToEnd.p99 > +10%, throughput.receivedPerSec < -5%" --junit gates.xml

Each figure is the median over a side's runs with its bootstrap percentile interval. A side is called better
only when the interval of the change excludes 0 (at --level) and the change is at least --practical; else "no
significant difference". One run on a side: the change is shown without a verdict. Rates are judged by their
distance from the plan (never "more is better"); a run that failed, was partial or had nothing to check (no
deliveries expected, no subscription granted) is invalid for those rows and never marked better.
--fail-on with repeats on both sides trips only on a significant change (noise alone never fails a build).

Exit codes: 0 ok · 2 invalid usage or a results file that cannot be read · 3 a --fail-on gate tripped`;

export const REPORT_HELP = `
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

Exit codes: 0 ok · 2 invalid usage or a results file that cannot be read`;

export const MERGE_HELP = `
Example:
  $ mqbench merge results/shard-*.json -o results/merged.json

Counters and HDR histograms are added; percentiles, loss and verdicts are recomputed from the sums.
Exit codes: 0 ok · 1 merged run partial or failed · 2 unreadable files, different runs or scenarios · 3 thresholds or delivery verdicts failed`;

export const CAPACITY_HELP = `
Examples:
  $ mqbench capacity scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --slo "endToEnd.p99<20ms,messages.lost==0"
  $ mqbench capacity scenarios/connections.yaml --slo "connections.failed==0" --from 1000 --to 19000
  $ mqbench capacity scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --broker-pid $(pgrep -x mosquitto) --slo "endToEnd.p99<20ms"

Each step is a full run (connect, warm-up, --step-duration). The load doubles while the SLO holds, then
bisects between the last pass and the first failure. A step where mqbench itself saturates stops the search
with that message instead of a wrong answer. Exit codes: 0 a max found · 1 none · 2 usage · 130 interrupted`;

export const DOCTOR_HELP = `
Examples:
  $ mqbench doctor --connections 20000
  $ mqbench doctor --broker mqtt://127.0.0.1:1883
  $ mqbench doctor --scenario scenarios/fanout.yaml --broker mqtt://broker:1883

One line per check (ok, WARN or FAIL), the command that fixes each problem under it, then a summary.
Machine: open files, ephemeral ports, somaxconn, memory, CPU cores. Broker (when one is given): TCP reachability,
MQTT 3.1.1 and 5 connects, max QoS, retain, shared subscriptions, $SYS version, a TCP no-delay latency hint.
Every probe is bounded to a few seconds and uses unique topics under mqbench-doctor-<id>/.

Exit codes: 0 no FAIL · 1 a check failed · 2 invalid usage or scenario`;

export const INIT_HELP = `
Kinds (each is the shipped scenario of that name, with its explaining comments):
${listKinds()}

Examples:
  $ mqbench init                                  # ./fanout.yaml
  $ mqbench init qos-mix --out scenarios/mix.yaml
  $ mqbench init mqttbs/singlenode-p2p-1K-1K-1K-1K   # ./singlenode-p2p-1K-1K-1K-1K.yaml (the name alone works too)
  $ mqbench validate scenarios/mix.yaml && mqbench run scenarios/mix.yaml --broker mqtt://127.0.0.1:1883

Exit codes: 0 written · 2 unknown kind, or the file exists (add --force)`;

export const PROGRAM_HELP = `
Examples:
  $ mqbench run scenarios/fanout.yaml
  $ mqbench run scenarios/fanout.yaml --broker mqtt://127.0.0.1:1883 --duration 10s
  $ mqbench validate scenarios/fanout.yaml
  $ mqbench compare results/a.json results/b.json
  $ mqbench report results/*.json --out report.html
  $ mqbench plan --fleet "devices=1000000, every=10s, fanin=10" results/*-capacity-*.json
  $ mqbench doctor --broker mqtt://127.0.0.1:1883 --connections 10000
  $ mqbench pub -c 100 -I 10ms -t 'bench/%i' -s 256 -q 1 --broker mqtt://127.0.0.1:1883   # emqtt-bench style, no YAML
  $ mqbench sub -c 10 -t 'bench/#' --broker mqtt://127.0.0.1:1883 --duration 30s`;

export const PLAN_HELP = `
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
Exit codes: 0 a node count · 1 no resource could be judged · 2 bad usage, fleet spec or results file`;

export const SUITE_HELP = `
Examples:
  $ mqbench suite scenarios/ --broker mosquitto=mqtt://127.0.0.1:1883 --broker rabbitmq=mqtt://127.0.0.1:1884 --repeat 3 --out results/shootout
  $ mqbench suite scenarios/fanout.yaml scenarios/p2p.yaml --broker a=mqtt://10.0.0.5:1883 --broker b=mqtt://10.0.0.6:1883 --duration 30s --junit suite.xml

Order: for each repeat, each scenario, each broker in turn (A B A B …), so drift on this machine hits every
broker alike; --cooldown between runs. Each broker is probed first: an unreachable one is skipped, and so is a
scenario needing a feature a broker does not offer ($share, retained messages to wildcard filters, QoS 2), with
a note. The folder gets <scenario>-<broker>-<repeat>.json per run, comparison.json (per scenario: medians,
bootstrap intervals, verdicts, what was skipped), summary.md and report.html. Ctrl-C stops after the current
run is cut short (marked partial) and still writes all of that for what finished.

Exit codes: 0 ok · 1 a run failed · 2 invalid usage or scenario · 3 thresholds or delivery verdicts failed · 130 interrupted`;
