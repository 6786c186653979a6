/**
 * Live progress during a run: one compact line per update, rewritten in place on a terminal and
 * throttled to one line every few seconds in logs (CI, pipes, --quiet).
 */
import { expectedDeliveries } from '../metrics/accounting.js';
import type { IntervalView } from '../metrics/outcome.js';
import type { Phase } from '../metrics/types.js';
import { fmtInt, fmtMs, fmtRate } from './format.js';
import type { Reporter } from './reporter.js';

export interface ProgressInfo {
  phase: Phase;
  elapsedSec: number;
  totalSec: number;
  connections: { open: number; planned: number; failed: number };
  sentPerSec: number;
  receivedPerSec: number;
  /** Expected deliveries not (yet) received: in flight during the run, lost once drained. */
  awaiting: number;
  lateSends: number;
  endToEndP99Ms: number | null;
}

/** The progress line's figures from the run as it stands. */
export function progressInfo(v: IntervalView): ProgressInfo {
  const row = v.agg.latest();
  const all = v.agg.all;
  return {
    phase: row?.phase ?? v.phase,
    elapsedSec: v.elapsedSec,
    totalSec: v.totalSec,
    connections: { open: v.agg.openConnections(), planned: v.plannedClients, failed: v.agg.measured.connFailed },
    sentPerSec: row?.sent ?? 0,
    receivedPerSec: (row?.received ?? 0) + (row?.otherRuns ?? 0), // a `sub` of other runs' messages receives too
    awaiting: Math.max(0, expectedDeliveries(all) - (all.received - all.duplicated)),
    lateSends: all.lateSends,
    endToEndP99Ms: row?.endToEndP99 ?? null,
  };
}

/** Where progress goes: a terminal, a log file, a test buffer. */
export interface ProgressOutput {
  write(s: string): unknown;
}

export interface ProgressReporterOptions {
  /** The output is an interactive terminal: rewrite one line in place. */
  tty: boolean;
  /** Few lines: behave like a log even on a terminal. */
  quiet: boolean;
  /** Clock in milliseconds (injectable for tests); defaults to Date.now. */
  now?: () => number;
  /** Terminal width: in-place lines are cut to it so that they never wrap (a wrapped line cannot be rewritten). */
  columns?: number;
}

export interface ProgressReporter {
  update(p: ProgressInfo): void;
  /** Ends the progress output (terminates the in-place line); call before printing the summary. */
  done(): void;
}

/** Minimum time between two lines when not rewriting in place. */
export const LOG_INTERVAL_MS = 5000;

const CLEAR_LINE = '\r\x1b[2K';

function wholeSeconds(sec: number): number {
  return Number.isFinite(sec) ? Math.max(0, Math.floor(sec)) : 0;
}

/**
 * One line, e.g.
 * "[ 12s/30s measure] conn 1,000/1,000 (0 failed) | sent 2,000/s recv 2,000/s | e2e p99 1.24 ms | awaiting 0 | late 0".
 */
export function formatProgress(p: ProgressInfo): string {
  const total = `${wholeSeconds(p.totalSec)}s`;
  const elapsed = `${wholeSeconds(p.elapsedSec)}s`.padStart(total.length);
  const c = p.connections;
  const p99 = p.endToEndP99Ms === null ? '–' : `${fmtMs(p.endToEndP99Ms)} ms`;
  return [
    `[${elapsed}/${total} ${p.phase}] conn ${fmtInt(c.open)}/${fmtInt(c.planned)} (${fmtInt(c.failed)} failed)`,
    `sent ${fmtRate(p.sentPerSec)} recv ${fmtRate(p.receivedPerSec)}`,
    `e2e p99 ${p99}`,
    `awaiting ${fmtInt(p.awaiting)}`,
    `late ${fmtInt(p.lateSends)}`,
  ].join(' | ');
}

function fitTo(line: string, columns: number | undefined): string {
  if (columns === undefined || columns <= 1 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}

/**
 * A reporter that rewrites one line in place on a TTY (unless quiet), and otherwise writes a full line
 * at most every LOG_INTERVAL_MS (the first update is always written).
 */
export function createProgressReporter(out: ProgressOutput, opts: ProgressReporterOptions): ProgressReporter {
  const now = opts.now ?? (() => Date.now());
  const inPlace = opts.tty && !opts.quiet;
  let lineOpen = false;
  let lastWrittenAt: number | undefined;
  let finished = false;

  return {
    update(p) {
      if (finished) return;
      const line = formatProgress(p);
      if (inPlace) {
        out.write(CLEAR_LINE + fitTo(line, opts.columns));
        lineOpen = true;
        return;
      }
      const t = now();
      if (lastWrittenAt !== undefined && t - lastWrittenAt < LOG_INTERVAL_MS) return;
      out.write(`${line}\n`);
      lastWrittenAt = t;
    },
    done() {
      if (finished) return;
      finished = true;
      if (lineOpen) out.write('\n');
      lineOpen = false;
    },
  };
}

/**
 * The progress line as a run Reporter: a line per interval view, ended (done) by the final view, before the
 * caller prints the summary.
 */
export function progressReporter(out: ProgressOutput, opts: ProgressReporterOptions): Reporter {
  const line = createProgressReporter(out, opts);
  return {
    onInterval(view) {
      if (view.final) line.done();
      else line.update(progressInfo(view));
    },
  };
}
