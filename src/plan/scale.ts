import type { Scenario } from '../scenario/model.js';

/** A scaled scenario and, in words, every group whose count is not simply its count × the factor. */
export interface Scaled {
  scenario: Scenario;
  notes: string[];
}

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });

/**
 * `--scale`: every group's client count × `factor` (rounded), and its totals — a publish `rate` and the
 * connect rate — following its actual new count, so each client behaves exactly as written (a per-client
 * `every` already does). Rounding never makes a group of several clients into one (shared-subscription
 * members, responders, …): such a group keeps at least 2; a group never goes below 1. Every group whose new
 * count is not exactly count × factor is named in `notes`, with what that means. Times, fractions of
 * events and thresholds stay as written. Pure: returns a new scenario.
 */
export function scalePlan(s: Scenario, factor: number): Scaled {
  if (!(factor > 0)) throw new RangeError(`scale must be above 0, got ${factor}`);
  const out = structuredClone(s);
  const notes: string[] = [];
  for (const g of out.groups) {
    const exact = g.count * factor;
    const floor = g.count > 1 ? 2 : 1;
    const count = Math.min(Math.max(floor, Math.round(exact)), Math.max(g.count, Math.round(exact)));
    const ratio = count / g.count;
    if (g.publish?.rate.kind === 'rate') g.publish.rate = { kind: 'rate', perSec: g.publish.rate.perSec * ratio };
    g.connect = { ...g.connect, rate: g.connect.rate * ratio };
    if (count !== exact) {
      const why =
        count === floor && Math.round(exact) < floor
          ? g.count > 1
            ? ` (rounded up: a group of several clients keeps at least ${floor})`
            : ' (a group keeps at least 1 client)'
          : ' (rounded)';
      const share = Math.abs(ratio / factor - 1) > 0.05 ? `; it is ${n(ratio / factor)}× its share of the scaled run, each client unchanged` : '';
      notes.push(`group ${g.name}: ${n(g.count)} × ${n(factor)} = ${n(exact)} → ${n(count)} client${count === 1 ? '' : 's'}${why}${share}`);
    }
    g.count = count;
  }
  return { scenario: out, notes };
}

/** The scaled scenario alone (see scalePlan). */
export function scaleScenario(s: Scenario, factor: number): Scenario {
  return scalePlan(s, factor).scenario;
}
