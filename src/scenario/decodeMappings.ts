/**
 * Decoders for containers: mappings with fixed keys (every unknown key reported, with a did-you-mean hint),
 * lists, records (keys are data, e.g. user properties), and a key derived from a mapping's checked keys (the
 * one action of an event, rate or every of a publish).
 */
import { Decoder, INVALID, isValid, present, typeProblem, type CheckedOf, type Invalid, type Sink, type ValidOf } from './decode.js';
import type { PathSegment } from './problems.js';
import { unknownKey } from './unknownKeys.js';

type AnyDecoder = Decoder<unknown, unknown>;
export type Shape = Record<string, AnyDecoder>;
export type CheckedShape<S extends Shape> = { [K in keyof S]: CheckedOf<S[K]> | Invalid };
export type ValidShape<S extends Shape> = { [K in keyof S]: ValidOf<S[K]> };

const MAPPING = 'a mapping (key: value lines)';

export const isMapping = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** A mapping with the keys of `shape` and no others. */
class Mapping<S extends Shape> extends Decoder<CheckedShape<S>, ValidShape<S>> {
  constructor(readonly shape: S) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): CheckedShape<S> | Invalid {
    if (!isMapping(input)) {
      out.push(typeProblem(path, input, MAPPING));
      return INVALID;
    }
    const checked: Record<string, unknown> = {};
    for (const [key, decoder] of Object.entries(this.shape)) checked[key] = decoder.check(input[key], [...path, key], out);
    for (const key of Object.keys(input)) if (!Object.hasOwn(this.shape, key)) out.push(unknownKey(path, key, this.keys()));
    return checked as CheckedShape<S>;
  }

  fill(checked: CheckedShape<S>): ValidShape<S> {
    const valid: Record<string, unknown> = {};
    for (const [key, decoder] of Object.entries(this.shape)) {
      const value = decoder.fill(present(checked[key]));
      if (value !== undefined) valid[key] = value;
    }
    return valid as ValidShape<S>;
  }

  override child(seg: PathSegment) {
    return typeof seg === 'string' && Object.hasOwn(this.shape, seg) ? this.shape[seg] : undefined;
  }

  override keys() {
    return Object.keys(this.shape);
  }
}

export const mapping = <S extends Shape>(shape: S) => new Mapping(shape);

/** A mapping that may be left out: absent, it is checked as undefined and filled as if written `{}`. */
export function defaultMapping<S extends Shape>(shape: S): Decoder<CheckedShape<S> | undefined, ValidShape<S>> {
  const m = mapping(shape);
  return m.default(m.fill(present(m.check({}, [], []))));
}

class List<C, V> extends Decoder<(C | Invalid)[], V[]> {
  constructor(
    private readonly item: Decoder<C, V>,
    private readonly min?: { count: number; message: string },
  ) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): (C | Invalid)[] | Invalid {
    if (!Array.isArray(input)) {
      out.push(typeProblem(path, input, 'a list'));
      return INVALID;
    }
    // Too short is a problem at the list; the items there are still checked (and the rules may look at them).
    if (this.min && input.length < this.min.count) out.push({ path, message: this.min.message });
    return (input as unknown[]).map((x, i) => this.item.check(x, [...path, i], out));
  }

  fill(checked: (C | Invalid)[]): V[] {
    return checked.map((c) => this.item.fill(present(c)));
  }

  override child(seg: PathSegment) {
    return typeof seg === 'number' ? (this.item as AnyDecoder) : undefined;
  }
}

/** A list of `item`s; with `min`, fewer items is one problem at the list. */
export const list = <C, V>(item: Decoder<C, V>, min?: { count: number; message: string }): Decoder<(C | Invalid)[], V[]> => new List(item, min);

/** A mapping whose keys are data (user properties): each key checked by `checkKey` (problem at the key), each value by `value`. */
class Entries<C, V> extends Decoder<Record<string, C | Invalid>, Record<string, V>> {
  constructor(
    private readonly checkKey: (key: string) => { message: string; hint?: string } | null,
    private readonly value: Decoder<C, V>,
  ) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): Record<string, C | Invalid> | Invalid {
    if (!isMapping(input)) {
      out.push(typeProblem(path, input, 'a mapping (name: value lines)'));
      return INVALID;
    }
    const checked: Record<string, C | Invalid> = {};
    let ok = true;
    for (const [key, raw] of Object.entries(input)) {
      const p = this.checkKey(key);
      if (p) {
        out.push({ path: [...path, key], message: p.message, hint: p.hint, atKey: true });
        ok = false;
      }
      Object.defineProperty(checked, key, { value: this.value.check(raw, [...path, key], out), enumerable: true, writable: true, configurable: true });
    }
    return ok ? checked : INVALID;
  }

  fill(checked: Record<string, C | Invalid>): Record<string, V> {
    const valid: Record<string, V> = {};
    for (const [key, c] of Object.entries(checked)) {
      Object.defineProperty(valid, key, { value: this.value.fill(present(c)), enumerable: true, writable: true, configurable: true });
    }
    return valid;
  }
}

export const entries = <C, V>(
  checkKey: (key: string) => { message: string; hint?: string } | null,
  value: Decoder<C, V>,
): Decoder<Record<string, C | Invalid>, Record<string, V>> => new Entries(checkKey, value);

/** How a mapping's derived key is worked out from its checked keys, and filled. */
export interface Derivation<C, DC, DV> {
  check(checked: C, path: PathSegment[], out: Sink): DC | Invalid;
  fill(derived: DC): DV;
}

/** A mapping with one more key `key`, derived from the keys as written (e.g. which one action an event has). */
class Derived<C, V, K extends string, DC, DV> extends Decoder<C & Record<K, DC | Invalid>, V & Record<K, DV>> {
  constructor(
    private readonly inner: Decoder<C, V>,
    private readonly key: K,
    private readonly derivation: Derivation<C, DC, DV>,
  ) {
    super();
  }

  check(input: unknown, path: PathSegment[], out: Sink): (C & Record<K, DC | Invalid>) | Invalid {
    const checked = this.inner.check(input, path, out);
    if (!isValid(checked)) return INVALID;
    return { ...checked, [this.key]: this.derivation.check(checked, path, out) } as C & Record<K, DC | Invalid>;
  }

  fill(checked: C & Record<K, DC | Invalid>): V & Record<K, DV> {
    const derived: DC | Invalid = checked[this.key];
    return { ...this.inner.fill(checked), [this.key]: this.derivation.fill(present(derived)) } as V & Record<K, DV>;
  }

  override child(seg: PathSegment) {
    return this.inner.child(seg);
  }

  override keys() {
    return this.inner.keys();
  }
}

export function derive<C, V, K extends string, DC, DV>(
  inner: Decoder<C, V>,
  key: K,
  derivation: Derivation<NoInfer<C>, DC, DV>,
): Decoder<C & Record<K, DC | Invalid>, V & Record<K, DV>> {
  return new Derived(inner, key, derivation);
}
