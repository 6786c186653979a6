/**
 * Segments: one run split over N processes (machines, pods). Segment i runs the i-th contiguous share
 * of every group's clients, exactly as the plan splits a process's share over its worker threads, so the
 * segments together hold every client exactly once. Client indices (and so publisher ids and subscription
 * slots) stay global. Pure: computed from the scenario alone, no I/O.
 */
import type { Scenario } from '../scenario/model.js';
import { splitRange, type Range } from './split.js';

export interface Segment {
  /** 0-based: 0 … count − 1. */
  index: number;
  count: number;
}

export const WHOLE_RUN: Segment = { index: 0, count: 1 };

/** "i/N" (0 ≤ i < N) → Segment; throws a RangeError with a readable message otherwise. */
export function parseSegment(text: string): Segment {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new RangeError(`"${text}" is not i/N (e.g. 0/3)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 10_000) throw new RangeError(`N must be from 1 to 10000, got ${count}`);
  if (index >= count) throw new RangeError(`i must be from 0 to N − 1 = ${count - 1}, got ${index}`);
  return { index, count };
}

/** The clients [first, first + count) of a group of `groupCount` that segment `seg` runs. */
export function segmentRange(groupCount: number, seg: Segment): Range {
  return splitRange(groupCount, seg.count)[seg.index];
}

/** Per group (in scenario order), the segment's share of its clients. */
export function segmentRanges(scenario: Scenario, seg: Segment): Range[] {
  return scenario.groups.map((g) => segmentRange(g.count, seg));
}

/** How many clients the segment runs in total. */
export function segmentClients(scenario: Scenario, seg: Segment): number {
  return segmentRanges(scenario, seg).reduce((n, r) => n + r.count, 0);
}

/**
 * Subscription slots held by OTHER segments, as ranges with their timing. This process never sees those
 * subscribers, so its publishers assume each is receivable from `fromMs` after publishing starts (0 for
 * subscriptions made on connect, `subscribe[].at` for late ones) until `untilMs` (`subscribe[].until`).
 */
export interface RemoteSlots {
  /** Slots first, first + stride, … (count of them): filter k of consecutive clients of one group. */
  first: number;
  stride: number;
  count: number;
  fromMs: number;
  untilMs?: number;
  /** A `$share` filter (its slots are NOT_OFFERED when the broker does not offer shared subscriptions). */
  shared?: true;
}

export function remoteSubscriptionSlots(scenario: Scenario, slotBase: number[], seg: Segment): RemoteSlots[] {
  if (seg.count === 1) return [];
  const out: RemoteSlots[] = [];
  scenario.groups.forEach((g, gi) => {
    const filters = g.subscribe.length;
    if (filters === 0) return;
    const local = segmentRange(g.count, seg);
    const remote: Range[] = [
      { first: 0, count: local.first },
      { first: local.first + local.count, count: g.count - local.first - local.count },
    ];
    for (const r of remote) {
      if (r.count === 0) continue;
      g.subscribe.forEach((s, k) => {
        out.push({
          first: slotBase[gi] + r.first * filters + k,
          stride: filters,
          count: r.count,
          fromMs: s.atMs ?? 0,
          ...(s.untilMs !== undefined ? { untilMs: s.untilMs } : {}),
          ...(s.topic.startsWith('$share/') ? { shared: true as const } : {}),
        });
      });
    }
  });
  return out;
}

/** Sets every slot of a RemoteSlots range in the shared receivable array to `value` (a Receivable byte). */
export function markSlots(receivable: Uint8Array, r: RemoteSlots, value: number): void {
  for (let n = 0; n < r.count; n++) receivable[r.first + n * r.stride] = value;
}
