/**
 * `mqbench merge`: the results of a distributed run's segments (one JSON per `--segment i/N` process)
 * added up into one result, exactly: each segment's measurement (exact counters, encoded histograms) added
 * with the same addMeasurement the coordinator uses for its threads, and the summary computed from the total
 * by the same summaryOf; per-second rows added by their shared `t`.
 */
import { ExitCode, UserError } from '../shared/errors.js';
import { scenarioHash } from '../shared/runIdentity.js';
import { countersFromSummary } from './legacyCounters.js';
import { addCrossSegmentDuplicates, addMeasurement, emptyMeasurement, encodeHistograms, recordCounters, type RecordedMeasurement } from './measurement.js';
import { clockUncertainty } from './mergeClock.js';
import { mergeIntervals } from './mergeIntervals.js';
import type { Results, RunStatus } from './resultsFile.js';
import { crossSegmentShares } from './shareMerge.js';
import type { SegmentInfo } from './segmentTypes.js';
import { summaryOf } from './summaryOf.js';
import { withHeaderless } from './headerless.js';
import { withClosedLoop } from './closedLoop.js';
import { withTail } from './tail.js';

export interface Shard {
  /** Where it was read from (for messages). */
  path: string;
  results: Results;
}

const refuse = (message: string, hint?: string) => new UserError(message, ExitCode.usage, hint);

/** Throws a usage error (exit 2) unless the shards are distinct segments of one run of one scenario. */
export function checkShards(shards: Shard[]): { runId: string; count: number; hash: string } {
  if (shards.length === 0) throw refuse('merge: no results files given');
  for (const s of shards) {
    if (!s.results.segment)
      throw refuse(`merge: ${s.path} is not a segment of a distributed run (no "segment" field)`, 'run each process with --segment i/N --run-id <id>');
  }
  const first = shards[0];
  const seg0 = first.results.segment!;
  const hash0 = scenarioHash(first.results.scenario);
  for (const s of shards.slice(1)) {
    const seg = s.results.segment!;
    if (seg.runId !== seg0.runId)
      throw refuse(`merge: ${s.path} is from run "${seg.runId}", ${first.path} from run "${seg0.runId}": only segments of one run can be merged`);
    if (scenarioHash(s.results.scenario) !== hash0) throw refuse(`merge: ${s.path} and ${first.path} ran different scenarios (scenario hashes differ)`);
    if (seg.count !== seg0.count) throw refuse(`merge: ${s.path} is a segment of ${seg.count}, ${first.path} of ${seg0.count}`);
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const i = s.results.segment!.index;
    if (seen.has(i)) throw refuse(`merge: ${seen.get(i)} and ${s.path} are both segment ${i}/${seg0.count}`);
    seen.set(i, s.path);
  }
  return { runId: seg0.runId, count: seg0.count, hash: hash0 };
}

export function mergeResults(input: Shard[]): Results {
  const { runId, count, hash } = checkShards(input);
  const shards = [...input].sort((a, b) => a.results.segment!.index - b.results.segment!.index);
  const rs = shards.map((s) => s.results);
  const segments: SegmentInfo[] = rs.map((r) => r.segment!);
  const missing = [...Array(count).keys()].filter((i) => !segments.some((s) => s.index === i));

  const total = emptyMeasurement();
  for (const r of rs) addMeasurement(total, recordedMeasurement(r));
  const durationSec = Math.max(...rs.map((r) => r.durationSec));
  const shares = crossSegmentShares(
    rs.map((r) => r.shareLedger),
    rs.map(label),
  );
  addCrossSegmentDuplicates(total.counters, shares.byQos);
  const probed = rs.find((r) => r.summary.capabilities?.probed.length)?.summary.capabilities?.probed ?? [];
  const summary = withClosedLoop(withHeaderless(summaryOf(total, durationSec, probed), rs[0].scenario), rs[0].scenario);

  const intervals = mergeIntervals(rs.map((r) => r.intervals ?? []));
  Object.assign(summary, withTail(summary, intervals, mergedTailFrom(rs)));
  const { status, reason } = combineStatus(rs, missing, count);
  const clock = clockUncertainty(segments);
  const saturated = rs.filter((r) => r.generator.saturated);
  const base = rs[0];
  return {
    schemaVersion: 1,
    status,
    ...(reason ? { statusReason: reason } : {}),
    mqbenchVersion: base.mqbenchVersion,
    scenario: base.scenario,
    target: base.target,
    startedAt: rs.map((r) => r.startedAt).sort()[0],
    durationSec,
    summary,
    intervals,
    generator: {
      workers: rs.reduce((n, r) => n + r.generator.workers, 0),
      maxEventLoopDelayMs: Math.max(...rs.map((r) => r.generator.maxEventLoopDelayMs)),
      cpuPercentMax: Math.max(...rs.map((r) => r.generator.cpuPercentMax)),
      saturated: saturated.length > 0,
      ...(saturated.length > 0
        ? { saturatedReason: saturated.map((r) => `segment ${label(r)}: ${r.generator.saturatedReason ?? 'saturated'}`).join('; ') }
        : {}),
    },
    environment: { ...base.environment, host: clock.hosts.join(', ') },
    histograms: encodeHistograms(total.histograms),
    merged: {
      runId,
      scenarioHash: hash,
      segments,
      missing,
      ...clock,
      ...(shares.note ? { shares: { crossSegmentDuplicates: shares.byQos[0] + shares.byQos[1] + shares.byQos[2], note: shares.note } } : {}),
    },
    counters: recordCounters(total.counters),
  };
}

/**
 * A segment's measurement as its file records it: the exact counters, or (files written before they were
 * recorded) counters rebuilt from the summary (legacyCounters.ts).
 */
export function recordedMeasurement(r: Results): RecordedMeasurement {
  return {
    counters: r.counters ?? countersFromSummary(r.summary, r.durationSec),
    histograms: r.histograms ?? {},
    connectErrors: r.summary.connections.errors ?? {},
    inflightWindow: r.summary.messages.inflightWindow ?? 0,
  };
}

const label = (r: Results) => `${r.segment!.index}/${r.segment!.count}`;

/** Any failed → failed; any partial (or a segment missing) → partial; the reasons say which segment. */
/** The oldest stream horizon of the segments whose subscribers reported one (tail.ts; every segment counts from one start). */
function mergedTailFrom(rs: Results[]): number | undefined {
  const known = rs.map((r) => r.summary.messages.tailFromSec).filter((t): t is number => t !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

function combineStatus(rs: Results[], missing: number[], count: number): { status: RunStatus; reason?: string } {
  const reasons = rs.filter((r) => r.status !== 'complete').map((r) => `segment ${label(r)} ${r.status}: ${r.statusReason ?? 'no reason given'}`);
  if (missing.length > 0)
    reasons.push(
      `segment${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: their clients are not in these figures, and deliveries to their subscribers count as lost`,
    );
  const status: RunStatus = rs.some((r) => r.status === 'failed') ? 'failed' : reasons.length > 0 ? 'partial' : 'complete';
  return reasons.length > 0 ? { status, reason: reasons.join('; ') } : { status };
}
