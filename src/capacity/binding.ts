/**
 * Which resource ran out at the knee of a capacity search, from the broker's resources at each step. Pure.
 *
 * The step judged is the lowest load where the SLO broke (the broker's resources there show what ran out).
 * CPU is judged per busiest thread as well as per host: a single-threaded broker at one core of 16 is
 * saturated, not "6 % busy". A step where the generator itself saturated ends the search with that verdict:
 * its figures describe mqbench, not the broker. Memory is reported as growth per connection across steps.
 */
import type { AvgMax } from '../observe/types.js';
import { fmtBytes, THREAD_SATURATED_CORES } from '../report/brokerFigures.js';
import { fmtInt } from '../report/format.js';
import { linearFit } from '../observe/costs.js';

/** Share of the host's CPUs at or above which the broker is CPU-bound on its host. */
export const HOST_SATURATED_PERCENT = 90;
/**
 * Demand (running + waiting for a CPU) of the busiest thread at or above which it counts as CPU-bound though it
 * ran less: it was runnable at least 80 % of the time, so CPU (its own, or the host's it could not get) limited it.
 */
export const THREAD_DEMAND_SATURATED_CORES = 0.8;
/** Share of the open-files limit at or above which the broker is file-descriptor-bound. */
export const FDS_SATURATED_SHARE = 0.95;

/** One step of the search with what the run observed of the broker over its measured window. */
export interface StepObservation {
  load: number;
  ok: boolean;
  saturated: boolean;
  /** Connections open at the step (mqbench's count). */
  connections: number;
  cores?: AvgMax;
  busiestThread?: AvgMax;
  /** The busiest thread's demand: running + waiting for a CPU (cores). */
  busiestDemand?: AvgMax;
  percentOfHost?: AvgMax;
  threads?: AvgMax;
  rssBytes?: AvgMax;
  fds?: AvgMax;
  /** The broker process's open-files limit (soft), when known. */
  fdLimit?: number;
}

export type BindingResource =
  'cpu (thread)' | 'cpu (host)' | 'file descriptors' | 'generator' | 'none (ceiling)' | 'not exhausted' | 'not observed' | 'no step passed';

export interface Binding {
  resource: BindingResource;
  /** The verdict in one sentence. */
  text: string;
  /** What else the steps say (memory per connection across steps). */
  notes: string[];
  /** The load of the step judged. */
  atLoad?: number;
}

const c2 = (x: number) => x.toFixed(2);

/** "mosquitto version 2.0.11" → "mosquitto"; else "the broker". */
export function brokerName(version: string | undefined): string {
  const w = version?.trim().split(/\s+/)[0];
  return w && w !== 'unknown' && /^[A-Za-z]/.test(w) ? w : 'the broker';
}

/** Memory growth per connection across steps (least squares of RSS against connections), when connections varied. */
export function memoryAcrossSteps(steps: StepObservation[]): string | null {
  const pts = steps.filter((s) => !s.saturated && s.rssBytes !== undefined && s.connections > 0);
  const xs = pts.map((s) => s.connections);
  if (pts.length < 2 || Math.max(...xs) === Math.min(...xs)) return null;
  const fit = linearFit(
    xs,
    pts.map((s) => s.rssBytes!.max),
  );
  if (!fit) return null;
  return `RSS grew ${fmtBytes(fit.slope)} per connection (${pts.length} steps, ${fmtInt(Math.min(...xs))} → ${fmtInt(Math.max(...xs))} connections, R² ${fit.r2.toFixed(2)})`;
}

/** The broker's busiest thread at its limit: at one core, or runnable (running or waiting for a CPU) nearly all the time. */
function cpuBound(s: StepObservation): boolean {
  const t = s.busiestThread;
  const d = s.busiestDemand;
  return t !== undefined && (t.max >= THREAD_SATURATED_CORES || (d !== undefined && d.max >= THREAD_DEMAND_SATURATED_CORES));
}

/** The verdict for a search's steps (in the order they ran). */
export function bindingResource(steps: StepObservation[], o: { unit: string; broker?: string }): Binding {
  const name = o.broker ?? 'the broker';
  const at = (load: number) => `${fmtInt(load)} ${o.unit}`;
  const mem = memoryAcrossSteps(steps);
  const notes = mem ? [mem] : [];
  const failed = steps.filter((s) => !s.ok && !s.saturated).sort((a, b) => a.load - b.load);
  const saturated = steps.find((s) => s.saturated);
  let judged = failed[0];
  let caveat = '';
  if (saturated && (!judged || saturated.load <= judged.load)) {
    // The generator saturated first: its figures may describe mqbench. Unless the broker's own thread was at its
    // limit at that very step — direct evidence that the broker, too, had run out of CPU there.
    if (!cpuBound(saturated)) {
      const below = judged ? `, below the first SLO failure at ${at(judged.load)}` : '';
      return {
        resource: 'generator',
        text: `the generator saturated first (at ${at(saturated.load)}${below}): this is not the broker's limit`,
        notes,
        atLoad: saturated.load,
      };
    }
    judged = saturated;
    caveat = ` (the generator saturated there too: take the load as approximate)`;
  }
  if (!judged) {
    if (steps.length === 0) return { resource: 'no step passed', text: 'no step ran', notes };
    return { resource: 'none (ceiling)', text: "the SLO held at every step: the broker's limit is above the highest load tried", notes };
  }
  return resourceAt(judged, name, at, caveat, notes);
}

/** What ran out at the step judged (the lowest failing one, or a saturated one whose broker thread was at its limit). */
function resourceAt(judged: StepObservation, name: string, at: (load: number) => string, caveat: string, notes: string[]): Binding {
  const t = judged.busiestThread;
  const d = judged.busiestDemand;
  if (t && cpuBound(judged)) {
    const single = judged.threads?.max === 1 || (judged.cores !== undefined && judged.cores.max - t.max < 0.1);
    const how = single ? 'single-threaded' : `its busiest thread; ${c2(judged.cores?.max ?? t.max)} cores in all`;
    const text = `${name} at ${c2(t.max)} cores (${how}) at ${at(judged.load)}: CPU-bound${caveat}`;
    if (t.max >= THREAD_SATURATED_CORES) return { resource: 'cpu (thread)', text, notes, atLoad: judged.load };
    const starved = `its thread was running or waiting for a CPU ${Math.min(100, Math.round(d!.max * 100))} % of the time but ran only ${Math.round(t.max * 100)} %: other processes on the host took the rest of the core, so on a dedicated core the limit is higher`;
    return { resource: 'cpu (thread)', text: `${text}; ${starved}`, notes, atLoad: judged.load };
  }
  const h = judged.percentOfHost;
  if (h && h.max >= HOST_SATURATED_PERCENT) {
    return {
      resource: 'cpu (host)',
      text: `${name} at ${judged.cores ? `${c2(judged.cores.max)} cores = ` : ''}${Math.round(h.max)} % of its host at ${at(judged.load)}: CPU-bound (the whole host)`,
      notes,
      atLoad: judged.load,
    };
  }
  if (judged.fds && judged.fdLimit && judged.fds.max >= FDS_SATURATED_SHARE * judged.fdLimit) {
    return {
      resource: 'file descriptors',
      text: `${name} had ${fmtInt(judged.fds.max)} files open of its limit ${fmtInt(judged.fdLimit)} at ${at(judged.load)}: file-descriptor-bound`,
      notes,
      atLoad: judged.load,
    };
  }
  if (!judged.cores && !t && !h) {
    return {
      resource: 'not observed',
      text: `the SLO broke at ${at(judged.load)}; the broker's resources were not observed, so what ran out is not known (add --broker-pid or --broker-metrics)`,
      notes,
      atLoad: judged.load,
    };
  }
  const cpu = [judged.cores ? `${c2(judged.cores.max)} cores` : '', t ? `busiest thread ${c2(t.max)} cores` : '', h ? `${Math.round(h.max)} % of the host` : '']
    .filter(Boolean)
    .join(', ');
  return {
    resource: 'not exhausted',
    text: `the SLO broke at ${at(judged.load)} with CPU to spare (${cpu}): not CPU-bound; see latency and back-pressure`,
    notes,
    atLoad: judged.load,
  };
}
