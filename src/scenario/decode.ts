/**
 * Decoders: the scenario's shape, written once, read in one pass. Each decoder checks a raw YAML value into
 * its *checked* form (the value as written, typed, or INVALID where it is wrong, with a positioned problem
 * for every fault, so nothing stops at the first one), and *fills* a checked value that has no problem left
 * into its valid form (defaults applied). Cross-field rules work on the checked document; the resolver on
 * the valid one. Mappings, lists and records are in decodeMappings.ts.
 */
import type { PathProblem, PathSegment } from './problems.js';
import { show } from './problems.js';
import { UnitError } from './units.js';

/** Marks a value that failed its own check (its problem is reported): rules skip it. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

/** Where problems are collected while checking. */
export type Sink = PathProblem[];

export const isValid = <T>(x: T | Invalid): x is T => x !== INVALID;

/** The value, or undefined when it is INVALID (or absent). */
export const validOr = <T>(x: T | Invalid | undefined): T | undefined => (x === INVALID ? undefined : x);

/** The valid items of a checked list (itself possibly INVALID or absent), each with its index. */
export function validItems<T>(list: (T | Invalid)[] | Invalid | undefined): [T, number][] {
  if (list === undefined || list === INVALID) return [];
  const out: [T, number][] = [];
  list.forEach((item, i) => {
    if (item !== INVALID) out.push([item, i]);
  });
  return out;
}

export abstract class Decoder<C, V> {
  /** The value as written, checked: every problem is pushed to `out`, and a value with one is INVALID. */
  abstract check(input: unknown, path: PathSegment[], out: Sink): C | Invalid;

  /** The valid value of a checked one (defaults filled). Only for a document that had no problem at all. */
  abstract fill(checked: C): V;

  /** The decoder of a part (a key of a mapping, an item of a list), for navigation (allowedKeysAt). */
  child(_seg: PathSegment): Decoder<unknown, unknown> | undefined {
    return undefined;
  }

  /** The keys a mapping allows ([] for anything else). */
  keys(): readonly string[] {
    return [];
  }

  optional(): Decoder<C | undefined, V | undefined> {
    return new Absent(this, () => undefined);
  }

  /**
   * Absent: the valid value is `value`; the checked one stays undefined, so rules see what was written. The
   * value is shared by every document that leaves the key out: the valid document is only read (resolve.ts
   * copies what it keeps).
   */
  default(value: V): Decoder<C | undefined, V> {
    return new Absent(this, () => value);
  }
}

/** The value of `checked` with no INVALID left (a broken promise of fill's caller is a bug, not a user error). */
export function present<T>(checked: T | Invalid): T {
  if (checked === INVALID) throw new Error('scenario decoder: fill reached an invalid value');
  return checked;
}

/** An optional or defaulted key: undefined (absent) is checked as undefined and filled by `whenAbsent`. */
class Absent<C, V, W> extends Decoder<C | undefined, V | W> {
  constructor(
    private readonly inner: Decoder<C, V>,
    private readonly whenAbsent: () => W,
  ) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): C | undefined | Invalid {
    return input === undefined ? undefined : this.inner.check(input, path, out);
  }

  fill(checked: C | undefined): V | W {
    return checked === undefined ? this.whenAbsent() : this.inner.fill(checked);
  }

  override child(seg: PathSegment) {
    return this.inner.child(seg);
  }

  override keys() {
    return this.inner.keys();
  }
}

/** A single value read by a plain parser (fieldParsers.ts); its UnitError becomes the problem, with the hint. */
class Field<T> extends Decoder<T, T> {
  constructor(private readonly parse: (value: unknown) => T) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): T | Invalid {
    try {
      return this.parse(input);
    } catch (err) {
      if (!(err instanceof UnitError)) throw err;
      out.push({ path, message: err.message, hint: err.hint });
      return INVALID;
    }
  }

  fill(checked: T): T {
    return checked;
  }
}

export const field = <T>(parse: (value: unknown) => T): Decoder<T, T> => new Field(parse);

/** A value checked into a richer form `C` (e.g. a parsed template) whose valid form is `V` (its text). */
class Checked<C, V> extends Decoder<C, V> {
  constructor(
    private readonly read: (input: unknown, path: PathSegment[], out: Sink) => C | Invalid,
    private readonly toValid: (checked: C) => V,
  ) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): C | Invalid {
    return this.read(input, path, out);
  }

  fill(checked: C): V {
    return this.toValid(checked);
  }
}

export function checked<C, V>(read: (input: unknown, path: PathSegment[], out: Sink) => C | Invalid, toValid: (checked: C) => V): Decoder<C, V> {
  return new Checked(read, toValid);
}

/** The same decoder on a rewritten input (a subscription written as a bare string is { topic: <string> }). */
class Rewrite<C, V> extends Decoder<C, V> {
  constructor(
    private readonly rewrite: (input: unknown) => unknown,
    private readonly inner: Decoder<C, V>,
  ) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): C | Invalid {
    return this.inner.check(this.rewrite(input), path, out);
  }

  fill(checked: C): V {
    return this.inner.fill(checked);
  }

  override child(seg: PathSegment) {
    return this.inner.child(seg);
  }

  override keys() {
    return this.inner.keys();
  }
}

export const rewrite = <C, V>(fn: (input: unknown) => unknown, inner: Decoder<C, V>): Decoder<C, V> => new Rewrite(fn, inner);

/** "is required" for a missing value, else what was expected and what was found. */
export function typeProblem(path: PathSegment[], input: unknown, expected: string): PathProblem {
  return { path, message: input === undefined ? 'is required' : `expected ${expected}, got ${show(input)}` };
}

export type CheckedOf<D> = D extends Decoder<infer C, unknown> ? C : never;
export type ValidOf<D> = D extends Decoder<unknown, infer V> ? V : never;

/** The keys allowed in the mapping at `path` (list indices as any number), for did-you-mean hints. */
export function keysAt(root: Decoder<unknown, unknown>, path: readonly PathSegment[]): readonly string[] {
  let node: Decoder<unknown, unknown> | undefined = root;
  for (const seg of path) node = node?.child(seg);
  return node?.keys() ?? [];
}
