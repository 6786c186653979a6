/**
 * `mqbench run` options of distributed runs (--segment, --run-id, --start-at, --start-delay): checked
 * and resolved into what the plan and coordinator need, and the `segment` record of the results.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { InvalidArgumentError } from 'commander';
import type { SegmentInfo } from '../metrics/segmentTypes.js';
import { parseSegment, segmentClients, WHOLE_RUN, type Segment } from '../plan/segment.js';
import type { Scenario } from '../scenario/model.js';
import { readClockOffset, type ClockOffsetReading } from '../host/clockOffset.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { checkRunId, deriveRunId, runTagOf, scenarioHash } from '../shared/runIdentity.js';
import type { DistributedFlags } from './runFlags.js';

export interface Distributed {
  segment: Segment;
  runId: string;
  runTag: number;
  /** Epoch ms at which publishing begins, when synchronised. */
  startAt?: number;
  scenarioHash: string;
  /** Whether the results record a `segment` (any distributed option was given). */
  recorded: boolean;
  /** Started at once; awaited when the results are written. */
  clockOffset: Promise<ClockOffsetReading>;
}

export function parseSegmentArg(text: string): Segment {
  try {
    return parseSegment(text);
  } catch (e) {
    throw new InvalidArgumentError(`${(e as Error).message}`);
  }
}

export function parseRunIdArg(text: string): string {
  const problem = checkRunId(text);
  if (problem) throw new InvalidArgumentError(problem);
  return text;
}

/** An ISO 8601 time with a time zone (2030-01-02T03:04:05Z or …+02:00): every machine reads it alike. */
export function parseStartAtArg(text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(text.trim()) || Number.isNaN(ms)) {
    throw new InvalidArgumentError('expected an ISO 8601 time with a zone, e.g. 2030-01-02T03:04:05Z');
  }
  return ms;
}

/**
 * Resolves the run identity. With --segment i/N (N > 1) the run id must be shared: --run-id, or derived
 * from --start-at and the scenario hash (every segment given the same --start-at derives the same id).
 * The payload run tag is a hash of the run id whenever one was given or derived.
 */
export function resolveDistributed(flags: DistributedFlags, scenario: Scenario, redacted: Record<string, unknown>, now: number): Distributed {
  const segment = flags.segment ?? WHOLE_RUN;
  const hash = scenarioHash(redacted);
  const startAt = startOf(flags, now);
  const runId = sharedRunId(flags, segment, hash);
  if (segment.count > 1 && scenario.target.url === 'embedded')
    throw usage('--segment needs a real broker that every segment connects to, not "embedded"', 'use --broker mqtt://host:1883');
  if (segmentClients(scenario, segment) === 0)
    throw usage(`segment ${segment.index}/${segment.count} has no clients: the scenario has fewer clients than segments`);
  const recorded = flags.segment !== undefined || flags.runId !== undefined || startAt !== undefined;
  return {
    segment,
    runId: runId ?? randomBytes(3).toString('hex'),
    runTag: runId !== undefined ? runTagOf(runId) : randomBytes(4).readUInt32LE(0),
    ...(startAt !== undefined ? { startAt } : {}),
    scenarioHash: hash,
    recorded,
    clockOffset: recorded ? readClockOffset() : Promise.resolve({ estimate: null, reason: 'not read' }),
  };
}

/** --start-at, or now + --start-delay (not both); a --start-at in the past is refused. */
function startOf(flags: DistributedFlags, now: number): number | undefined {
  if (flags.startAt !== undefined && flags.startDelay !== undefined) throw usage('--start-at and --start-delay exclude each other');
  if (flags.startAt !== undefined && flags.startAt <= now) {
    throw usage(
      `--start-at ${new Date(flags.startAt).toISOString()} is in the past (now: ${new Date(now).toISOString()})`,
      'give a time far enough ahead for every segment to start and connect',
    );
  }
  return flags.startAt ?? (flags.startDelay !== undefined ? now + flags.startDelay : undefined);
}

/** The run id every segment shares: --run-id, or derived from --start-at (a segment of several needs one of them). */
function sharedRunId(flags: DistributedFlags, segment: Segment, hash: string): string | undefined {
  if (flags.runId !== undefined || segment.count <= 1) return flags.runId;
  if (flags.startAt === undefined)
    throw usage(
      `--segment ${segment.index}/${segment.count} needs the run id every segment shares`,
      'add --run-id <id> (the same for all segments), or --start-at <time> to derive it',
    );
  return deriveRunId(flags.startAt, hash);
}

/** The `segment` record of the results; `publishStart` = when publishing began (epoch ms; 0 if it never did). */
export async function segmentInfo(d: Distributed, publishStart: number, env: Readonly<Record<string, string | undefined>>): Promise<SegmentInfo> {
  const offset = await d.clockOffset;
  return {
    index: d.segment.index,
    count: d.segment.count,
    runId: d.runId,
    scenarioHash: d.scenarioHash,
    host: env.MQBENCH_HOST || hostname(),
    clockSource: 'system',
    startAt: new Date(publishStart || d.startAt || Date.now()).toISOString(),
    clockOffset: offset.estimate,
    ...(offset.estimate === null ? { clockOffsetReason: offset.reason } : {}),
  };
}

const usage = (message: string, hint?: string) => new UserError(message, ExitCode.usage, hint);
