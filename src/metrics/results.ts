import { createHash } from 'node:crypto';
import { describeEnvironment } from '../shared/environment.js';
import type { RunOutcome } from './outcome.js';
import { recordCounters } from './measurement.js';
import type { Results } from './resultsFile.js';
import type { SegmentInfo } from './segmentTypes.js';
import { dumpShareLedger } from './shareMerge.js';
import type { ProbedCapability, Summary } from './summary.js';
import { summaryOf } from './summaryOf.js';
import { withHeaderless } from './headerless.js';
import { withClosedLoop } from './closedLoop.js';
import { withTail } from './tail.js';

export interface ResultsContext {
  mqbenchVersion: string;
  /** The resolved scenario with secrets redacted. */
  scenario: Record<string, unknown> & { name: string };
  /** Target URL without credentials. */
  targetUrl: string;
  /** With several brokers (target.urls): all of them, without credentials (`targetUrl` is the first). */
  targetUrls?: string[];
  embedded: boolean;
  brokerVersion?: string;
  /** TLS certificate checks were off (target.tls.insecure: true). */
  insecureTls?: boolean;
  /** A segment of a distributed run: recorded, and the intervals carry what `merge` needs to add them up. */
  segment?: SegmentInfo;
  /** What the broker probe before the run found about the features the scenario uses. */
  probed?: ProbedCapability[];
}

/** A generator thread busier than this while sends fall behind means mqbench, not the broker, was the limit. */
const SATURATED_BUSY_PERCENT = 90;
const SATURATED_LOOP_DELAY_MS = 100;

export function buildSummary(o: RunOutcome, durationSec: number, probed: readonly ProbedCapability[] = []): Summary {
  return summaryOf(o.agg.total, durationSec, probed);
}

export function buildResults(o: RunOutcome, ctx: ResultsContext): Results {
  const durationSec = o.measureFrom ? Math.max(0, (o.measureEnd - o.measureFrom) / 1000) : 0;
  const summary = withClosedLoop(withHeaderless(buildSummary(o, durationSec, ctx.probed), ctx.scenario), ctx.scenario);
  const intervals = o.agg.intervals(ctx.segment !== undefined);
  Object.assign(summary, withTail(summary, intervals, o.agg.tailFromSec()));
  // Sends late because they waited for the broker (window, socket) say nothing about the generator.
  const behind = summary.messages.sent > 0 && generatorLate(summary.messages) / summary.messages.sent > 0.01;
  const busy = o.agg.maxBusyPercent >= SATURATED_BUSY_PERCENT;
  const stalled = o.agg.maxEventLoopDelayMs >= SATURATED_LOOP_DELAY_MS;
  const missed = summary.messages.missedSends;
  const saturated = missed > 0 || (behind && (busy || stalled));
  // A busy generator reads its acks late too: the window waits may then be its own, not the broker's.
  if (summary.backPressure && (busy || stalled))
    summary.backPressure = { reason: `${summary.backPressure.reason} (but a worker was busy or stalled: some of the waits may be the generator's)` };
  return {
    schemaVersion: 1,
    status: o.status,
    ...(o.reason && o.status !== 'complete' ? { statusReason: o.reason } : {}),
    mqbenchVersion: ctx.mqbenchVersion,
    scenario: ctx.scenario,
    target: {
      url: ctx.targetUrl,
      ...(ctx.targetUrls && ctx.targetUrls.length > 1 ? { urls: ctx.targetUrls } : {}),
      embedded: ctx.embedded,
      ...(ctx.brokerVersion ? { brokerVersion: ctx.brokerVersion } : {}),
      ...(ctx.insecureTls ? { insecureTls: true } : {}),
    },
    startedAt: o.startedAt.toISOString(),
    durationSec,
    summary,
    intervals,
    generator: {
      workers: o.workers,
      maxEventLoopDelayMs: round3(o.agg.maxEventLoopDelayMs),
      cpuPercentMax: Math.round(o.agg.maxBusyPercent),
      saturated,
      ...(saturated ? { saturatedReason: saturationReason(summary, o.agg.maxBusyPercent, o.agg.maxEventLoopDelayMs) } : {}),
    },
    environment: { ...describeEnvironment(), scenarioHash: createHash('sha256').update(JSON.stringify(ctx.scenario)).digest('hex') },
    histograms: o.agg.encodedHistograms(),
    ...(ctx.segment ? { segment: ctx.segment } : {}),
    ...(ctx.segment && o.ledger ? { shareLedger: dumpShareLedger(o.ledger.shares, o.delivered.layout) } : {}),
    ...(ctx.segment ? { counters: recordCounters(o.agg.measured) } : {}),
  };
}

function saturationReason(s: Summary, busyPercent: number, delayMs: number): string {
  const m = s.messages;
  const load = busyPercent >= SATURATED_BUSY_PERCENT ? `a worker was ${Math.round(busyPercent)}% busy` : `a worker stalled ${Math.round(delayMs)} ms`;
  const late =
    m.sent === 0 ? `no message due in the measured window was sent while ${load}` : `${pct(generatorLate(m), m.sent)} of sends were late while ${load}`;
  return m.missedSends > 0 ? `${m.missedSends.toLocaleString('en-US')} scheduled sends were never made; ${late}` : late;
}

/** Late sends the generator caused: all late sends but those that waited for room (broker back-pressure). */
const generatorLate = (m: Summary['messages']) => Math.max(0, m.lateSends - (m.waitedSends ?? 0));
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
