/**
 * Checks against the machine the scenario will run on. The loader reads nothing about the machine itself:
 * the caller passes the limits in (the CLI derives them from the process's open-files limit), so these
 * checks stay pure and testable, and no limit means no check.
 */
import { isValid, validOr, type Invalid } from './decode.js';
import type { PathProblem } from './problems.js';

export interface LoadLimits {
  /** Connections one mqbench process can hold (its open-files limit minus some headroom). */
  maxConnections?: number;
  /** The open-files limit `maxConnections` was derived from; only used to explain a problem. */
  openFiles?: number;
  /** The run is split over this many processes (--processes, --segment i/N): each holds its share. Default 1. */
  processes?: number;
}

const readable = (n: number) => n.toLocaleString('en-US');

/**
 * One problem, at the `count` of the group where the running total of clients first exceeds
 * `limits.maxConnections`, when the whole scenario opens more connections than one process can hold.
 */
export function checkLimits(doc: { groups: ({ count: number | Invalid } | Invalid)[] | Invalid }, limits: LoadLimits): PathProblem[] {
  const max = limits.maxConnections;
  if (max === undefined || !isValid(doc.groups)) return [];
  const n = Math.max(1, limits.processes ?? 1);
  // A process runs a contiguous share of every group: at most ceil(count / n) of each (an invalid count,
  // reported by its own check, counts 0).
  const counts = doc.groups.map((g) => Math.ceil((isValid(g) ? (validOr(g.count) ?? 0) : 0) / n));
  const perProcess = counts.reduce((a, b) => a + b, 0);
  if (perProcess <= max) return [];
  let running = 0;
  const at = counts.findIndex((c) => (running += c) > max);
  const files = limits.openFiles !== undefined ? ` (open-files limit ${readable(limits.openFiles)})` : '';
  const opens =
    n === 1 ? `the scenario opens ${readable(perProcess)} connections` : `split over ${n} processes, one opens up to ${readable(perProcess)} connections`;
  return [
    {
      path: ['groups', at, 'count'],
      message: `${opens} but one mqbench process can hold about ${readable(Math.max(0, max))}${files}`,
      hint: `run it as ${Math.ceil((perProcess * n) / Math.max(1, max))} or more processes (--processes N on one machine, --segment i/N across machines), or raise ulimit -n`,
    },
  ];
}
