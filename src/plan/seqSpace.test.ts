import { describe, expect, it } from 'vitest';
import { seqLayout } from './seqSpace.js';
import type { Scenario } from '../scenario/model.js';

const scenario = (groups: { count: number; rate?: number }[], extra: Partial<Scenario> = {}) =>
  ({
    warmupMs: 1000,
    durationMs: 4000,
    groups: groups.map((g) => ({ count: g.count, publish: g.rate === undefined ? undefined : { rate: { kind: 'rate', perSec: g.rate } } })),
    ...extra,
  }) as unknown as Scenario;

describe('seqLayout', () => {
  it('bounds each client by its share of the slots due in warm-up + duration, plus one', () => {
    // 10 msg/s over 5 s = 50 slots over 3 clients: 17 cycles at most, so 18 bits each.
    const l = seqLayout(scenario([{ count: 3, rate: 10 }, { count: 4 }, { count: 2, rate: 1 }]), [0, 3, 7]);
    expect(l.perClient).toEqual([18, 0, 4]);
    expect(l.base).toEqual([0, 54, 54]);
    expect(l.bits).toBe(54 + 8);
  });

  it('uses the area under the stages when there are stages', () => {
    // Ramp 0→1 over 2 s (area 1) then hold 1 for 3 s (area 3): 4 × 20 msg/s = 80 slots over 4 clients.
    const l = seqLayout(
      scenario([{ count: 4, rate: 20 }], {
        stages: [
          { durationMs: 2000, level: 1 },
          { durationMs: 3000, level: 1 },
        ],
      }),
      [0],
    );
    expect(l.perClient).toEqual([21]);
  });

  it('covers nothing rather than allocating a huge bitmap', () => {
    const l = seqLayout(scenario([{ count: 1_000_000, rate: 1_000_000 }], { durationMs: 3_600_000 }), [0]);
    expect(l.bits).toBe(0);
    expect(l.perClient).toEqual([0]);
  });
});
