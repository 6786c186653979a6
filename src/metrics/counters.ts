import { COUNTER_KEYS, type Counters } from './types.js';

export function zeroCounters(): Counters {
  const c = {} as Counters;
  for (const k of COUNTER_KEYS) c[k] = 0;
  return c;
}

export function addCounters(into: Counters, add: Counters): Counters {
  for (const k of COUNTER_KEYS) into[k] += add[k] ?? 0;
  return into;
}
