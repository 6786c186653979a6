/**
 * The run's schedule as one value, from the instant publishing starts (t0): when the measured window opens
 * and closes, when a generator that fell behind gives up, when a segment of a distributed run stops, and
 * which phase any instant is in. Pure. The coordinator and every worker derive the same Timeline from the
 * same t0 (the `start` message), so they agree on every boundary without passing them around.
 */
import type { Phase } from '../metrics/types.js';
import type { Scenario } from '../scenario/model.js';

/**
 * A generator still behind this long after the measured window ended stops sending; what it did not send
 * is counted as missed. A segment, which cannot see the others' progress, waits the same straggler time
 * before its drain, so what a late generator still sends is drained too.
 */
export const GIVE_UP_MS = 1000;

export interface Timeline {
  /** Epoch ms publishing starts (schedule times in a scenario count from it); Infinity before it is known. */
  t0: number;
  /** The measured window [measureFrom, measureEnd): after the warm-up, for the duration. */
  measureFrom: number;
  measureEnd: number;
  /** A publisher's pacer stops here, however far behind (measureEnd + GIVE_UP_MS). */
  giveUpAt: number;
  /** A segment of a distributed run stops here, whatever it has drained (giveUpAt + drain). */
  segmentStopAt: number;
  /** The phase at `t`: connect before t0, then warmup, measure, and drain from measureEnd on. */
  phaseAt(t: number): Phase;
}

export type TimelineSpec = Pick<Scenario, 'warmupMs' | 'durationMs' | 'drainMs'>;

export function timelineOf(s: TimelineSpec, t0: number): Timeline {
  const measureFrom = t0 + s.warmupMs;
  const measureEnd = measureFrom + s.durationMs;
  const giveUpAt = measureEnd + GIVE_UP_MS;
  return {
    t0,
    measureFrom,
    measureEnd,
    giveUpAt,
    segmentStopAt: giveUpAt + s.drainMs,
    phaseAt: (t) => (t < t0 ? 'connect' : t < measureFrom ? 'warmup' : t < measureEnd ? 'measure' : 'drain'),
  };
}

/** The timeline of a run whose publishing has not started: every boundary at Infinity, every instant 'connect'. */
export const NOT_STARTED: Timeline = timelineOf({ warmupMs: 0, durationMs: 0, drainMs: 0 }, Infinity);

/** The timeline as the parts of a worker read it: NOT_STARTED until publishing starts, then that run's, fixed. */
export interface TimelineView {
  readonly current: Timeline;
}

/** The worker's one place that says publishing started (its runner owns it; the others read it). */
export class TimelineCell implements TimelineView {
  private timeline: Timeline = NOT_STARTED;

  get current(): Timeline {
    return this.timeline;
  }

  /** Publishing started: once per run. */
  start(timeline: Timeline): void {
    if (this.timeline !== NOT_STARTED) throw new Error("the run's timeline was started twice");
    this.timeline = timeline;
  }
}

/** A view of a timeline that has started already (tests, tools). */
export const startedTimeline = (timeline: Timeline): TimelineView => ({ current: timeline });
