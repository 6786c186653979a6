/** Helpers for the rules that look at the raw document (after ${VAR} substitution, before the schema). */
import type { Parse } from './fieldParsers.js';

export type Raw = Record<string, unknown>;

export const isRecord = (x: unknown): x is Raw => x !== null && typeof x === 'object' && !Array.isArray(x);

/** The parsed value, or undefined when the field is invalid (the schema reports it). */
export function read<T>(parse: Parse<T>, value: unknown): T | undefined {
  try {
    return parse(value);
  } catch {
    return undefined;
  }
}
