/**
 * Reading commander's option record (typed `any` by commander) once, by type: a value of the wrong type is
 * absent, never passed on as something it is not. The option parsers (args.ts) have already converted values.
 */
import type { Threshold } from '../thresholds/parse.js';

/** Plain functions (no `this`), so a command can destructure the ones it needs. */
export interface OptionReader {
  num: (key: string) => number | undefined;
  str: (key: string) => string | undefined;
  /** true only for the boolean true. */
  flag: (key: string) => boolean;
  /** A repeatable string option (or a single one) as a list. */
  strings: (key: string) => string[];
  /** A repeatable --threshold, already parsed by parseThresholdArg, as a list. */
  thresholds: (key: string) => Threshold[];
}

const isThreshold = (x: unknown): x is Threshold =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as Threshold).expression === 'string' &&
  typeof (x as Threshold).metric === 'string' &&
  typeof (x as Threshold).op === 'string' &&
  typeof (x as Threshold).value === 'number';

export function readOptions(o: Record<string, unknown>): OptionReader {
  return {
    num: (k) => (typeof o[k] === 'number' ? o[k] : undefined),
    str: (k) => (typeof o[k] === 'string' ? o[k] : undefined),
    flag: (k) => o[k] === true,
    strings: (k) => {
      const v = o[k];
      if (typeof v === 'string') return [v];
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    },
    thresholds: (k) => {
      const v = o[k];
      return Array.isArray(v) ? v.filter(isThreshold) : [];
    },
  };
}
