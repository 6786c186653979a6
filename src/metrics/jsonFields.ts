/**
 * Plain typed checks of a value read from a JSON file: each returns the value typed, or throws a FieldError
 * naming the field (a dotted path such as `summary.messages.sent`), what it must be and what it was.
 */

const MISSING = 'missing';

export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(found === MISSING ? `field ${field} is missing (it must be ${expected})` : `field ${field} must be ${expected}, found ${found}`);
    this.name = 'FieldError';
  }
}

/** What a JSON value is, in words, for messages ("a string (\"12\")", "missing"). */
export function describeValue(x: unknown): string {
  if (x === undefined) return MISSING;
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'string') return `a string (${JSON.stringify(x.length > 40 ? `${x.slice(0, 39)}…` : x)})`;
  if (typeof x === 'number') return `the number ${x}`;
  if (typeof x === 'boolean') return `${x}`;
  return typeof x === 'object' ? 'an object' : typeof x;
}

export type Json = Record<string, unknown>;

const fail = (path: string, expected: string, x: unknown): never => {
  throw new FieldError(path, expected, describeValue(x));
};

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

export function object(x: unknown, path: string): Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : fail(path, 'an object', x);
}

export function list(x: unknown, path: string): unknown[] {
  return Array.isArray(x) ? x : fail(path, 'a list', x);
}

/** A finite number (JSON has no NaN or Infinity; a string of digits is not a number). */
export function number(x: unknown, path: string): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fail(path, 'a number', x);
}

export function string(x: unknown, path: string): string {
  return typeof x === 'string' ? x : fail(path, 'a string', x);
}

export function boolean(x: unknown, path: string): boolean {
  return typeof x === 'boolean' ? x : fail(path, 'true or false', x);
}

export function oneOf<T extends string>(x: unknown, path: string, values: readonly T[]): T {
  return values.includes(x as T) ? (x as T) : fail(path, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, x);
}

/** The field `key` of `o` checked by `check`: required. */
export function field<T>(o: Json, key: string, path: string, check: (x: unknown, path: string) => T): T {
  return check(o[key], join(path, key));
}

/** The field `key` of `o` checked by `check` when present (absent or undefined: undefined). */
export function optional<T>(o: Json, key: string, path: string, check: (x: unknown, path: string) => T): T | undefined {
  return o[key] === undefined ? undefined : check(o[key], join(path, key));
}

/** Every listed field of `o` a number: `required` ones must be there, `known` ones when present. */
export function numbers(o: Json, path: string, required: readonly string[], known: readonly string[] = []): void {
  for (const k of required) field(o, k, path, number);
  for (const k of known) optional(o, k, path, number);
}

/** A record whose every value is a number (e.g. failure reasons with counts). */
export function counts(x: unknown, path: string): Record<string, number> {
  const o = object(x, path);
  for (const k of Object.keys(o)) field(o, k, path, number);
  return o as Record<string, number>;
}

export const nullOr =
  <T>(check: (x: unknown, path: string) => T) =>
  (x: unknown, path: string): T | null =>
    x === null ? null : check(x, path);

export const listOf =
  <T>(check: (x: unknown, path: string) => T) =>
  (x: unknown, path: string): T[] =>
    list(x, path).map((item, i) => check(item, `${path}[${i}]`));
