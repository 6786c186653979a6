/**
 * The options of `mqbench run`, typed, and the one place that reads commander's untyped option record into
 * them. Depends on nothing else in cli/, so the commands it chooses between (one run, N processes, a
 * comparison) all import it without a cycle.
 */
import type { Segment } from '../plan/segment.js';
import type { Threshold } from '../thresholds/parse.js';
import { readOptions } from './options.js';

/** Options of distributed runs (--segment, --run-id, --start-at, --start-delay). */
export interface DistributedFlags {
  segment?: Segment;
  runId?: string;
  /** Epoch ms. */
  startAt?: number;
  /** ms from now. */
  startDelay?: number;
}

export interface RunFlags extends DistributedFlags {
  /** --broker, repeatable: one URL overrides the target; several (or label=url, or --repeat) compare targets. */
  brokers: string[];
  repeat: number;
  markdown: boolean;
  duration?: number;
  /** Multiply client counts (and their publish rates) by this factor. */
  scale?: number;
  workers?: number;
  out?: string;
  quiet: boolean;
  driver: string;
  /** Extra thresholds from --threshold (parsed by the flag), checked with the scenario's. */
  threshold: Threshold[];
  /** --prometheus: serve live metrics on http://127.0.0.1:<port>/metrics until the results are written. */
  prometheus?: number;
  /** --processes N: run the scenario as N local segment processes and merge their results. */
  processes: number;
  /** false (--no-verdict-fail): a broken delivery promise does not fail the run (exit 3). */
  verdictFail: boolean;
  /** --junit / --csv: CI files of the run (of every run, for a comparison). */
  junit?: string;
  csv?: string;
  /** The broker's label (from --broker name=url in a comparison), recorded as results.target.label. */
  brokerLabel?: string;
}

/** How a single run shows itself: a comparison run prints neither the summary nor a live line per run. */
export interface RunView {
  summary: boolean;
  quiet: boolean;
}

const isSegment = (v: unknown): v is Segment =>
  typeof v === 'object' && v !== null && typeof (v as Segment).index === 'number' && typeof (v as Segment).count === 'number';

/** commander's option record of `run` (values already converted by the option parsers) → RunFlags. */
export function runFlagsFrom(o: Record<string, unknown>): RunFlags {
  const { num, str, flag, strings, thresholds } = readOptions(o);
  return {
    brokers: strings('broker'),
    repeat: num('repeat') ?? 1,
    markdown: flag('markdown'),
    duration: num('duration'),
    scale: num('scale'),
    workers: num('workers'),
    out: str('out'),
    quiet: flag('quiet'),
    driver: str('driver') ?? 'mqttjs',
    threshold: thresholds('threshold'),
    prometheus: num('prometheus'),
    processes: num('processes') ?? 1,
    verdictFail: o.verdictFail !== false,
    segment: isSegment(o.segment) ? o.segment : undefined,
    runId: str('runId'),
    startAt: num('startAt'),
    startDelay: num('startDelay'),
    junit: str('junit'),
    csv: str('csv'),
  };
}

/** Several targets, a repeat, or a named target: a comparison run rather than one run. */
export function isComparison(flags: Pick<RunFlags, 'brokers' | 'repeat'>): boolean {
  return flags.brokers.length > 1 || flags.repeat > 1 || flags.brokers.some((b) => /^[A-Za-z0-9_.-]+=/.test(b));
}
