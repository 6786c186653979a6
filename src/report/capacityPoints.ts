/**
 * The optional `capacity` field of a results file: what a capacity search (stepping the publish rate up
 * until the SLO breaks) found. No command writes it yet; the HTML report renders it when present.
 */
import type { Results } from '../metrics/types.js';

export interface CapacityPoint {
  /** Offered publish rate of the step, messages per second. */
  rate: number;
  /** End-to-end p99 latency at that rate, milliseconds. */
  p99: number;
  /** Messages lost in the step. */
  lost: number;
  /** Whether every SLO held at this rate. */
  ok: boolean;
}

export interface CapacityResult {
  /** The service-level objectives each step was judged by, as threshold expressions ("endToEnd.p99 < 50ms"). */
  slo: string[];
  /** Steps in the order they ran. */
  steps: CapacityPoint[];
  /** The highest rate at which every SLO held; null when even the first step failed. */
  maxRate: number | null;
  /** The rate where latency started to climb steeply, when one was found. */
  knee?: number;
}

/** Results that may carry a capacity search. */
export type ResultsWithCapacity = Results & { capacity?: CapacityResult };

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function isPoint(x: unknown): x is CapacityPoint {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return isNum(s.rate) && isNum(s.p99) && isNum(s.lost) && typeof s.ok === 'boolean';
}

/**
 * The capacity field of a results file when it has the shape above, else undefined. Read defensively:
 * malformed steps are dropped rather than failing the whole report.
 */
export function capacityOf(results: Results): CapacityResult | undefined {
  const raw = (results as ResultsWithCapacity).capacity as unknown;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = raw as Record<string, unknown>;
  if (!Array.isArray(c.steps)) return undefined;
  const slo = Array.isArray(c.slo) ? c.slo.filter((s): s is string => typeof s === 'string') : [];
  const steps = c.steps.filter(isPoint);
  const maxRate = isNum(c.maxRate) ? c.maxRate : null;
  return { slo, steps, maxRate, ...(isNum(c.knee) ? { knee: c.knee } : {}) };
}
