import { groupPublishRate, isClosedLoop, type Scenario } from '../scenario/model.js';
import type { SeqLayout } from '../metrics/seqBitmap.js';
import { RateProfile } from './profile.js';

/** Layouts larger than this (bits) are not allocated: 128 MiB per bitmap. */
export const MAX_SEQ_BITS = 2 ** 30;
/** Sequence numbers covered per closed-loop client (rate: max). */
export const CLOSED_LOOP_SEQ_PER_CLIENT = 2 ** 22;

/**
 * Pure: how many sequence numbers each publishing client can use in this scenario, and where its
 * bits start in a run-wide SeqBitmap. A group's k-th slot (k = cycle × count + client) is due at
 * `t0 + k / rate` until warm-up + duration end (or the stages' area runs out), so a client's
 * sequence numbers (its cycles) stay below ceil(slots / count) + 1.
 */
export function seqLayout(scenario: Scenario, clientBase: number[]): SeqLayout {
  const base: number[] = [];
  const perClient: number[] = [];
  let bits = 0;
  for (const g of scenario.groups) {
    base.push(bits);
    if (!g.publish || g.count === 0) {
      perClient.push(0);
      continue;
    }
    const seconds = scenario.stages ? new RateProfile(scenario.stages).totalArea : (scenario.warmupMs + scenario.durationMs) / 1000;
    const slots = groupPublishRate(g) * seconds;
    // A closed loop has no schedule: a fixed budget per client (sequence numbers past it are not covered).
    const per = isClosedLoop(g) ? Math.max(1, Math.min(CLOSED_LOOP_SEQ_PER_CLIENT, Math.floor(MAX_SEQ_BITS / 4 / g.count))) : Math.ceil(slots / g.count) + 1;
    perClient.push(per);
    bits += per * g.count;
  }
  const counts = scenario.groups.map((g) => g.count);
  // Too large to keep in memory: no message is covered (callers keep their own exact records).
  if (bits > MAX_SEQ_BITS) return { clientBase, counts, base: base.map(() => 0), perClient: perClient.map(() => 0), bits: 0 };
  return { clientBase, counts, base, perClient, bits };
}
