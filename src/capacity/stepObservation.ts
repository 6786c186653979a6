/** One capacity step's results → what binding.ts judges (the broker's resources over the step's measured window). */
import type { Results } from '../metrics/types.js';
import type { StepObservation } from './binding.js';

export function stepObservation(step: { load: number; ok: boolean; saturated: boolean }, results: Results, fdLimit?: number | null): StepObservation {
  const r = results.broker?.resources;
  const out: StepObservation = { ...step, connections: results.summary.connections.succeeded };
  if (r?.cpuCores) out.cores = r.cpuCores;
  if (r?.maxThreadCpuCores) out.busiestThread = r.maxThreadCpuCores;
  if (r?.maxThreadDemandCores) out.busiestDemand = r.maxThreadDemandCores;
  if (r?.cpuPercentOfHost) out.percentOfHost = r.cpuPercentOfHost;
  if (r?.threads) out.threads = r.threads;
  if (r?.rssBytes) out.rssBytes = r.rssBytes;
  if (r?.fds) out.fds = r.fds;
  if (fdLimit) out.fdLimit = fdLimit;
  return out;
}

/** "broker 0.99 cores (busiest thread 0.99), RSS 12.0 MiB" for a step's progress line; "" when not observed. */
export function stepBrokerText(o: StepObservation, fmtBytes: (n: number) => string): string {
  const parts: string[] = [];
  if (o.cores) parts.push(`${o.cores.max.toFixed(2)} cores${o.busiestThread ? ` (busiest thread ${o.busiestThread.max.toFixed(2)})` : ''}`);
  if (o.rssBytes) parts.push(`RSS ${fmtBytes(o.rssBytes.max)}`);
  return parts.length ? `; broker ${parts.join(', ')}` : '';
}

/** A step's broker figures as the capacity field records them (`capacity.steps[i].broker`); none when not watched. */
export function brokerOfStep(o: StepObservation): { broker?: Record<string, unknown> } {
  const b = {
    cpuCores: o.cores,
    maxThreadCpuCores: o.busiestThread,
    maxThreadDemandCores: o.busiestDemand,
    cpuPercentOfHost: o.percentOfHost,
    rssBytes: o.rssBytes,
    fds: o.fds,
    fdLimit: o.fdLimit,
    connections: o.connections,
  };
  const present = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
  return o.cores || o.rssBytes || o.busiestThread ? { broker: present } : {};
}
