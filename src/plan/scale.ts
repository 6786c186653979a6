import type { Scenario } from '../scenario/model.js';

/**
 * The same scenario with every group's client count multiplied by `factor` (at least 1 client) and
 * publish rates following their group's count, so per-client behaviour (`every`) is unchanged.
 * Connect rates, times and events stay as written. Pure: returns a new scenario.
 */
export function scaleScenario(s: Scenario, factor: number): Scenario {
  if (!(factor > 0)) throw new RangeError(`scale must be above 0, got ${factor}`);
  const out = structuredClone(s);
  for (const g of out.groups) {
    const count = Math.max(1, Math.round(g.count * factor));
    // A group rate follows the count; a per-client `every` already does.
    if (g.publish?.rate.kind === 'rate') g.publish.rate = { kind: 'rate', perSec: (g.publish.rate.perSec * count) / g.count };
    g.count = count;
  }
  return out;
}
