/**
 * Counters made and combined by the catalogue's rules: the one way counters merge, in threads (Aggregator),
 * across processes and in `mqbench merge` (measurement.ts).
 */
import { COUNTER_CATALOGUE, COUNTER_KEYS, type MergeRule } from './catalogue.js';
import type { Counters } from './counterFields.js';

/**
 * All counters at zero, as a template with fast properties: an object given its ~80 keys one by one
 * turns into a dictionary in V8 (every `c.sent++` then a hash lookup, on the hot path of every message).
 * Object.fromEntries builds a fast object, and a spread of it copies its hidden class.
 */
const ZERO = Object.fromEntries(COUNTER_KEYS.map((k) => [k, 0])) as unknown as Counters;

export function zeroCounters(): Counters {
  return { ...ZERO };
}

const SUMMED: readonly (keyof Counters)[] = COUNTER_KEYS.filter((k) => rule(k) === 'sum');
const LARGEST: readonly (keyof Counters)[] = COUNTER_KEYS.filter((k) => rule(k) === 'max');

function rule(k: keyof Counters): MergeRule {
  return COUNTER_CATALOGUE[k].merge;
}

/** Adds `add` into `into` by each counter's rule (a counter an older sender lacks counts as 0). */
export function addCounters(into: Counters, add: Counters): Counters {
  for (const k of SUMMED) into[k] += add[k] ?? 0;
  for (const k of LARGEST) into[k] = Math.max(into[k], add[k] ?? 0);
  return into;
}
