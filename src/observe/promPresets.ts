/**
 * What the Prometheus source reads from a scrape: presets that know a broker's (or host's) metric names,
 * and custom metrics a user names as `field=metric{labels}` (optionally `*k` or `/k` to change units).
 * Pure: each preset turns a MetricIndex into the parts of a Reading.
 *
 * Where the names come from:
 * - rabbitmq: checked against a real RabbitMQ 3.10.8 scrape (test/fixtures/observe/rabbitmq-3.10.8-metrics.prom);
 * - node_exporter, process: checked against a real node_exporter 1.5.0 in the integration test;
 * - emqx: read from EMQX 5's emqx_prometheus.erl and its documentation, not checked against a running EMQX;
 *   erlang_vm_statistics_runtime_milliseconds comes from the same Erlang Prometheus library RabbitMQ uses
 *   and is optional there (EMQX's vm_statistics collector).
 */
import type { CounterName, CounterValues, GaugeName, Gauges, Reading } from './types.js';
import { select, selectSum, type MetricIndex, type Selector } from './promParse.js';
import type { CustomMetric } from '../scenario/promMetricSpec.js';

export { parseCustomMetric, PRESET_NAMES, type CustomMetric } from '../scenario/promMetricSpec.js';

export type Extracted = Omit<Reading, 'atMs'>;

export interface Preset {
  name: string;
  /** The usual scrape path (shown in help and errors). */
  path: string;
  notes: string[];
  extract(index: MetricIndex): Extracted;
}

const sel = (name: string, matchers: Selector['matchers'] = []): Selector => ({ name, matchers });

/** Sets each field whose metric is present (sum over its series), times `scale`. */
function pick<K extends string>(index: MetricIndex, into: Partial<Record<K, number>>, fields: [K, string, number?][]): void {
  for (const [field, metric, scale] of fields) {
    const v = selectSum(index, sel(metric));
    if (v !== null) into[field] = v * (scale ?? 1);
  }
}

const ERLANG_RUNTIME = 'erlang_vm_statistics_runtime_milliseconds';
const USER_TIME_ONLY =
  `CPU (when exported) is Erlang's runtime statistic ${ERLANG_RUNTIME}: user time only, system time left out; ` +
  "for user + system add the broker's pid on its host";

export const PRESETS: Record<string, Preset> = {
  emqx: {
    name: 'emqx',
    path: '/api/v5/prometheus/stats',
    notes: [
      "hostCpuPercent and hostMemUsedBytes are the whole host's (emqx_vm_cpu_use, emqx_vm_used_memory): EMQX exports no process CPU or RSS",
      USER_TIME_ONLY,
    ],
    extract(index) {
      const gauges: Partial<Gauges> = {};
      const counters: Partial<CounterValues> = {};
      pick<GaugeName>(index, gauges, [
        ['hostCpuPercent', 'emqx_vm_cpu_use'],
        ['hostMemUsedBytes', 'emqx_vm_used_memory'],
        ['hostMemTotalBytes', 'emqx_vm_total_memory'],
        ['connections', 'emqx_connections_count'],
        ['connections', 'emqx_live_connections_count'],
      ]);
      pick<CounterName>(index, counters, [
        ['cpuSeconds', ERLANG_RUNTIME, 1 / 1000],
        ['messagesReceived', 'emqx_messages_received'],
        ['messagesSent', 'emqx_messages_sent'],
        ['bytesReceived', 'emqx_bytes_received'],
        ['bytesSent', 'emqx_bytes_sent'],
        ['packetsReceived', 'emqx_packets_received'],
        ['packetsSent', 'emqx_packets_sent'],
      ]);
      return { gauges, counters };
    },
  },
  rabbitmq: {
    name: 'rabbitmq',
    path: '/metrics',
    notes: [
      USER_TIME_ONLY,
      'messages are RabbitMQ\'s global counters over every protocol (received from publishers, delivered to consumers); RabbitMQ 3.10 counts MQTT under protocol="amqp091"',
      'no byte counters: rabbitmq_connection_incoming/outgoing_bytes_total stay 0 for MQTT connections on RabbitMQ 3.10',
      "RabbitMQ refreshes its memory and fd figures only every few seconds: for per-second values add the broker's pid on its host",
    ],
    extract(index) {
      const gauges: Partial<Gauges> = {};
      const counters: Partial<CounterValues> = {};
      pick<GaugeName>(index, gauges, [
        ['rssBytes', 'rabbitmq_process_resident_memory_bytes'],
        ['fds', 'rabbitmq_process_open_fds'],
        ['connections', 'rabbitmq_connections'],
      ]);
      pick<CounterName>(index, counters, [
        ['cpuSeconds', ERLANG_RUNTIME, 1 / 1000],
        ['messagesReceived', 'rabbitmq_global_messages_received_total'],
        ['messagesSent', 'rabbitmq_global_messages_delivered_total'],
        ['diskReadBytes', 'rabbitmq_io_read_bytes_total'],
        ['diskWriteBytes', 'rabbitmq_io_write_bytes_total'],
      ]);
      return { gauges, counters };
    },
  },
  node_exporter: {
    name: 'node_exporter',
    path: '/metrics',
    notes: ["host CPU and memory are the whole host's (everything running there, not only the broker)"],
    extract(index) {
      const gauges: Partial<Gauges> = {};
      const counters: Partial<CounterValues> = {};
      const cpu = select(index, sel('node_cpu_seconds_total'));
      if (cpu.length > 0) {
        const idle = new Set(['idle', 'iowait', 'steal']);
        counters.hostCpuBusySeconds = cpu.filter((s) => !idle.has(s.labels.mode)).reduce((a, s) => a + s.value, 0);
        gauges.hostCpus = new Set(cpu.map((s) => s.labels.cpu)).size;
      }
      const total = selectSum(index, sel('node_memory_MemTotal_bytes'));
      const available = selectSum(index, sel('node_memory_MemAvailable_bytes'));
      if (total !== null) gauges.hostMemTotalBytes = total;
      if (total !== null && available !== null) gauges.hostMemUsedBytes = total - available;
      return { gauges, counters };
    },
  },
  /** The process metrics every official Prometheus client library exports about its own process. */
  process: {
    name: 'process',
    path: '/metrics',
    notes: [],
    extract(index) {
      const gauges: Partial<Gauges> = {};
      const counters: Partial<CounterValues> = {};
      pick<GaugeName>(index, gauges, [
        ['rssBytes', 'process_resident_memory_bytes'],
        ['fds', 'process_open_fds'],
      ]);
      pick<CounterName>(index, counters, [['cpuSeconds', 'process_cpu_seconds_total']]);
      return { gauges, counters };
    },
  },
};

const GAUGE_FIELDS: readonly string[] = [
  'rssBytes',
  'threads',
  'fds',
  'connections',
  'maxThreadCpuCores',
  'maxThreadDemandCores',
  'heapBytes',
  'heapMaxBytes',
  'hostCpus',
  'hostCpuPercent',
  'hostMemUsedBytes',
  'hostMemTotalBytes',
] satisfies GaugeName[];
const COUNTER_FIELDS: readonly string[] = [
  'cpuSeconds',
  'messagesReceived',
  'messagesSent',
  'bytesReceived',
  'bytesSent',
  'packetsReceived',
  'packetsSent',
  'diskReadBytes',
  'diskWriteBytes',
  'hostCpuBusySeconds',
  'observerDeliveries',
] satisfies CounterName[];

/**
 * Adds custom metrics to what a preset extracted (a custom field of the same name wins). A known gauge or
 * counter field goes where it belongs; another name is a gauge under `extra`, or a counter under
 * `extraCounters` (reported per second) when its family is a COUNTER or its name ends in `_total`.
 */
export function applyCustom(index: MetricIndex, custom: CustomMetric[], into: Extracted): Extracted {
  for (const c of custom) {
    const v = selectSum(index, c.selector);
    if (v === null) continue;
    const value = v * c.scale;
    if (GAUGE_FIELDS.includes(c.field)) into.gauges[c.field as GaugeName] = value;
    else if (COUNTER_FIELDS.includes(c.field)) into.counters[c.field as CounterName] = value;
    else if (index.types.get(c.selector.name) === 'COUNTER' || c.selector.name.endsWith('_total')) (into.extraCounters ??= {})[c.field] = value;
    else (into.extra ??= {})[c.field] = value;
  }
  return into;
}
