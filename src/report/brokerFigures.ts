/**
 * The broker's CPU and memory as a results file recorded them (`results.broker`, DESIGN.md §6 additions),
 * read defensively and worded for a report. Nothing is estimated: a figure no source measured reads
 * "not measured". CPU is shown per host AND per busiest thread, because a single-threaded broker at one
 * full core of a 16-core host shows as "6 %" while it is saturated.
 */
import type { AvgMax, BrokerResults } from '../observe/types.js';
import type { Results } from '../metrics/resultsFile.js';
import { fmtInt } from './format.js';

export const NOT_MEASURED = 'not measured';

export interface BrokerFigures {
  /** Broker process CPU in cores, as a share of its host's CPUs, and its busiest thread's CPU in cores. */
  cores?: AvgMax;
  percentOfHost?: AvgMax;
  busiestThread?: AvgMax;
  /** The host's CPU count, when the observation gave both cores and the share of the host. */
  hostCpus?: number;
  /** Busy share of the whole host (node_exporter, EMQX's emqx_vm_cpu_use): not the broker alone. */
  hostBusyPercent?: AvgMax;
  rss?: AvgMax;
  heap?: AvgMax;
  hostMemUsed?: AvgMax;
  sources: { kind: string; target: string; ok: boolean; error?: string; notes: string[] }[];
  notes: string[];
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function avgMax(x: unknown): AvgMax | undefined {
  return isRecord(x) && isNum(x.avg) && isNum(x.max) ? { avg: x.avg, max: x.max } : undefined;
}

const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);

/** The broker figures of a results file, or undefined when the run did not observe the broker. */
export function brokerFiguresOf(results: Results): BrokerFigures | undefined {
  const raw = (results as Results & { broker?: unknown }).broker;
  if (!isRecord(raw)) return undefined;
  const res: Partial<Record<keyof BrokerResults['resources'], unknown>> = isRecord(raw.resources) ? raw.resources : {};
  const cores = avgMax(res.cpuCores);
  const percentOfHost = avgMax(res.cpuPercentOfHost);
  const hostCpus = cores && percentOfHost && percentOfHost.avg > 0 ? Math.round((cores.avg / percentOfHost.avg) * 100) : undefined;
  const sources = (Array.isArray(raw.sources) ? raw.sources : []).filter(isRecord).map((s) => ({
    kind: String(s.kind ?? '?'),
    target: String(s.target ?? '?'),
    ok: s.ok === true,
    ...(typeof s.error === 'string' ? { error: s.error } : {}),
    notes: strings(s.notes),
  }));
  const figures: BrokerFigures = { sources, notes: strings(raw.notes) };
  const set = <K extends keyof BrokerFigures>(k: K, v: BrokerFigures[K] | undefined) => {
    if (v !== undefined) figures[k] = v;
  };
  set('cores', cores);
  set('percentOfHost', percentOfHost);
  set('busiestThread', avgMax(res.maxThreadCpuCores));
  set('hostCpus', hostCpus);
  set('hostBusyPercent', avgMax(res.hostCpuPercent));
  set('rss', avgMax(res.rssBytes));
  set('heap', avgMax(res.heapBytes));
  set('hostMemUsed', avgMax(res.hostMemUsedBytes));
  return figures;
}

const pct = (x: number) => `${x >= 10 ? Math.round(x) : x.toFixed(1)} %`;
const coresText = (x: number) => `${x.toFixed(2)} cores`;

/** "6.2 % of 16 CPUs (0.99 cores); busiest thread 0.99 cores = 99 % of one core", or "not measured". */
export function cpuCell(f: BrokerFigures | undefined, which: keyof AvgMax): string {
  if (!f) return NOT_MEASURED;
  const parts: string[] = [];
  if (f.percentOfHost && f.cores) parts.push(`${pct(f.percentOfHost[which])} of ${f.hostCpus ?? '?'} CPUs (${coresText(f.cores[which])})`);
  else if (f.cores) parts.push(`${coresText(f.cores[which])} (host size not measured)`);
  if (f.busiestThread) parts.push(`busiest thread ${coresText(f.busiestThread[which])} = ${pct(f.busiestThread[which] * 100)} of one core`);
  if (parts.length === 0 && f.hostBusyPercent) parts.push(`host ${pct(f.hostBusyPercent[which])} busy (the whole host, not only the broker)`);
  return parts.length ? parts.join('; ') : NOT_MEASURED;
}

/** Bytes in binary units with three significant digits: 366 MiB, 1.25 GiB. */
export function fmtBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? fmtInt(v) : v >= 100 ? fmtInt(v) : v.toFixed(v >= 10 ? 1 : 2);
  return `${text} ${units[u]}`;
}

/** The broker process's RSS; else mosquitto's $SYS heap; else the host's used memory (said so); else "not measured". */
export function memoryCell(f: BrokerFigures | undefined, which: keyof AvgMax): string {
  if (f?.rss) return `${fmtBytes(f.rss[which])} RSS`;
  if (f?.heap) return `${fmtBytes(f.heap[which])} heap ($SYS)`;
  if (f?.hostMemUsed) return `host ${fmtBytes(f.hostMemUsed[which])} used (the whole host)`;
  return NOT_MEASURED;
}

/** Cores of the busiest thread at or above which a run is called CPU-bound on that thread. */
export const THREAD_SATURATED_CORES = 0.9;
