/**
 * The broker's figures (results.broker) as Prometheus gauges, for the live exporter (prometheus.ts): set once
 * the run's results are complete, so a scrape before the results are written sees them. Over the measured
 * window, like the summary: `stat` is avg or max.
 */
import { Gauge, type Registry } from 'prom-client';
import type { BrokerResults } from '../observe/types.js';

/** Registers the broker gauges in `registry` and sets them from `b`; a figure no source gave is left out. */
export function setBrokerGauges(registry: Registry, b: BrokerResults): void {
  const registers = [registry];
  const avgMax = (name: string, help: string, v: { avg: number; max: number } | undefined, scale = 1) => {
    if (!v) return;
    const g = new Gauge({ name, help, labelNames: ['stat'], registers });
    g.set({ stat: 'avg' }, v.avg * scale);
    g.set({ stat: 'max' }, v.max * scale);
  };
  const r = b.resources;
  avgMax('mqbench_broker_cpu_cores', 'Broker process CPU (user + system) in cores over the measured window.', r.cpuCores);
  avgMax(
    'mqbench_broker_busiest_thread_cpu_cores',
    "CPU of the broker's busiest thread in cores (1 = one core: a single thread is saturated).",
    r.maxThreadCpuCores,
  );
  avgMax('mqbench_broker_cpu_host_ratio', "Broker CPU as a share of its host's CPUs (1 = all of them).", r.cpuPercentOfHost, 1 / 100);
  avgMax('mqbench_broker_resident_memory_bytes', 'Broker process resident memory (RSS).', r.rssBytes);
  avgMax('mqbench_broker_open_fds', 'Broker process open file descriptors.', r.fds);
  const cost = b.costs.cpuMsPer1kMessages;
  if (cost) {
    const g = new Gauge({
      name: 'mqbench_broker_cpu_seconds_per_message',
      help: 'Broker CPU per message received (in) or sent (out).',
      labelNames: ['direction'],
      registers,
    });
    if (cost.in !== null) g.set({ direction: 'in' }, cost.in / 1e6);
    if (cost.out !== null) g.set({ direction: 'out' }, cost.out / 1e6);
  }
  const mem = b.costs.bytesPerConnection;
  if (mem)
    new Gauge({
      name: 'mqbench_broker_memory_per_connection_bytes',
      help: 'Broker RSS growth per open connection during the connect phase (least-squares slope).',
      registers,
    }).set(mem.bytesPerConnection);
  if (b.counters) {
    const g = new Gauge({
      name: 'mqbench_broker_count_difference',
      help: "The broker's own message counters minus mqbench's counts over the run: received (broker in − mqbench sent), sent (broker out − mqbench received).",
      labelNames: ['counter'],
      registers,
    });
    g.set({ counter: 'received' }, b.counters.difference.received);
    g.set({ counter: 'sent' }, b.counters.difference.sent);
  }
  const ok = new Gauge({
    name: 'mqbench_broker_source_up',
    help: 'Whether each broker observation source worked (1) or failed (0).',
    labelNames: ['kind', 'target'],
    registers,
  });
  for (const s of b.sources) ok.set({ kind: s.kind, target: s.target }, s.ok ? 1 : 0);
}
