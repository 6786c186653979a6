/**
 * `mqbench report --format mqttbs`: the Open MQTT Benchmark Suite's results table (one per use case: actual
 * message rate, average and p99 pub-to-sub latency, max/avg broker CPU user+system, max/avg broker memory)
 * and a full-disclosure section, as Markdown. Pure. Broker figures come from `results.broker` only and read
 * "not measured" when the run did not observe the broker; CPU is shown per busiest thread next to the
 * host share (see brokerFigures.ts).
 */
import type { Results } from '../metrics/resultsFile.js';
import { VERSION } from '../shared/version.js';
import { brokerFiguresOf, cpuCell, memoryCell, THREAD_SATURATED_CORES, type BrokerFigures } from './brokerFigures.js';
import type { ComparisonItem } from './compare.js';
import { disclosure } from './disclosure.js';
import { fmtInt, fmtMs, fmtPercent, fmtRate, NONE } from './format.js';
import { mdTable } from './markdown.js';

interface Row {
  item: ComparisonItem;
  broker: BrokerFigures | undefined;
}

const hasMessages = (r: Results) => (r.summary?.messages?.sent ?? 0) > 0 || (r.summary?.messages?.expected ?? 0) > 0;

function messageColumns(r: Results): string[] {
  const m = r.summary.messages;
  const planned = r.durationSec > 0 ? m.expected / r.durationSec : NaN;
  const e2e = r.summary.latencyMs.endToEnd;
  return [
    `${fmtRate(r.summary.throughput.receivedPerSec)} (planned ${fmtRate(planned)})`,
    e2e.count > 0 ? fmtMs(e2e.mean) : NONE,
    e2e.count > 0 ? fmtMs(e2e.p99) : NONE,
    m.expected > 0 ? fmtPercent(m.expected - m.lost, m.expected) : NONE,
  ];
}

function connectionColumns(r: Results): string[] {
  const c = r.summary.connections;
  const lat = r.summary.latencyMs.connect;
  return [`${fmtInt(c.succeeded)} of ${fmtInt(c.attempted)}`, lat.count > 0 ? fmtMs(lat.mean) : NONE, lat.count > 0 ? fmtMs(lat.p99) : NONE, fmtInt(c.lost)];
}

const BROKER_HEAD = ['Max CPU user+system', 'Avg CPU user+system', 'Max memory used', 'Avg memory used'];
const MESSAGE_HEAD = ['Actual msg rate (received)', 'Average pub-to-sub latency (ms)', 'p99 pub-to-sub latency (ms)', 'Delivered'];
const CONNECTION_HEAD = ['Connections', 'Average connect latency (ms)', 'p99 connect latency (ms)', 'Lost while held'];

/** What a reader must know to read a row right: saturation, incomplete runs, loss, failed sources. */
function rowNotes({ item, broker }: Row): string[] {
  const r = item.results;
  const who = `**${item.label}**`;
  const notes: string[] = [];
  const thread = broker?.busiestThread?.max;
  if (thread !== undefined && thread >= THREAD_SATURATED_CORES) {
    const host = broker?.percentOfHost ? ` while the whole broker used ${broker.percentOfHost.max.toFixed(1)} % of the host` : '';
    notes.push(
      `${who}: the busiest broker thread reached ${thread.toFixed(2)} cores (${Math.round(thread * 100)} % of one core)${host}: work that runs on that one thread is CPU-bound here, whatever the host percentage says.`,
    );
  }
  if (r.generator?.saturated)
    notes.push(
      `${who}: the generator was saturated (${r.generator.saturatedReason ?? 'see the results'}): these figures describe mqbench's limit, not the broker's.`,
    );
  if (r.status !== 'complete') notes.push(`${who}: run ${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}.`);
  const m = r.summary?.messages;
  if (m && m.lost > 0) notes.push(`${who}: ${fmtInt(m.lost)} of ${fmtInt(m.expected)} expected deliveries lost.`);
  if (!broker) notes.push(`${who}: the broker was not observed during this run, so its CPU and memory are not measured.`);
  for (const s of broker?.sources ?? []) if (!s.ok) notes.push(`${who}: broker observation ${s.kind} (${s.target}) failed: ${s.error ?? 'no values'}.`);
  for (const n of broker?.notes ?? []) notes.push(`${who}: ${n}.`.replace(/\.\.$/, '.'));
  return notes;
}

/** One use case: its table and the notes under it. */
function useCase(name: string, rows: Row[]): string {
  const messages = rows.some((row) => hasMessages(row.item.results));
  const head = ['', ...(messages ? MESSAGE_HEAD : CONNECTION_HEAD), ...BROKER_HEAD];
  const body = rows.map((row) => [
    `**${row.item.label}**`,
    ...(messages ? messageColumns(row.item.results) : connectionColumns(row.item.results)),
    cpuCell(row.broker, 'max'),
    cpuCell(row.broker, 'avg'),
    memoryCell(row.broker, 'max'),
    memoryCell(row.broker, 'avg'),
  ]);
  const hashes = new Set(rows.map((row) => row.item.results.environment?.scenarioHash ?? '?'));
  const warn =
    hashes.size > 1
      ? ['', `> **Warning:** these runs used different scenarios (hashes ${[...hashes].map((h) => h.slice(0, 12)).join(', ')}): compare them with care.`]
      : [];
  const notes = rows.flatMap(rowNotes);
  return [`## ${name}`, '', mdTable(head, body), ...warn, ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : [])].join('\n');
}

export interface MqttbsOptions {
  generatedAt: Date;
}

/** The whole report. Runs are grouped by scenario name, in the order first given. */
export function renderMqttbsReport(items: readonly ComparisonItem[], opts: MqttbsOptions): string {
  const rows: Row[] = items.map((item) => ({ item, broker: brokerFiguresOf(item.results) }));
  const names = [...new Set(rows.map((r) => r.item.results.scenario?.name ?? '?'))];
  const intro = [
    '# Open MQTT Benchmark Suite results',
    '',
    `Generated ${opts.generatedAt.toISOString()} by mqbench ${VERSION} from ${items.length === 1 ? '1 results file' : `${items.length} results files`}.`,
    "Latency is pub-to-sub from each message's intended send time (coordinated omission corrected), over the measured window.",
    "Broker CPU is user+system as a share of the broker's host, with its busiest thread beside it: a broker that works on one",
    'thread is saturated at one core, however many the host has. "not measured" means the run did not observe that figure.',
  ];
  return [
    ...intro,
    '',
    ...names
      .map((n) =>
        useCase(
          n,
          rows.filter((r) => (r.item.results.scenario?.name ?? '?') === n),
        ),
      )
      .join('\n\n')
      .split('\n'),
    '',
    disclosure(rows.map((r) => ({ label: r.item.label, results: r.item.results, broker: r.broker }))),
    '',
  ].join('\n');
}
