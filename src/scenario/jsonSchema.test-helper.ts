/**
 * Helpers for the tests that keep schema/scenario.schema.json in step with the loader's decoders (schema.ts):
 * navigation in the JSON Schema, minimal documents built from its required keys and examples, and the
 * decoders' problems at a path.
 */
import { Ajv } from 'ajv';
import { isValid, present, type Sink } from './decode.js';
import type { JsonSchema } from './jsonSchemaValues.js';
import type { Scenario } from './model.js';
import type { PathSegment } from './problems.js';
import { resolveScenario } from './resolve.js';
import { scenarioDecoder } from './schema.js';

export function newAjv(): Ajv {
  // strictRequired is off: `oneOf: [{ required: [rate] }, …]` names keys defined by the enclosing object.
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true, strictRequired: false });
  // yaml-language-server's message for a value that does not match `pattern`: an annotation for ajv.
  return ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
}

const asSchema = (x: unknown) => x as JsonSchema | undefined;

/** The object schema of a node: itself, or its object branch of an anyOf (a subscription, a QoS mix). */
export function objectBranch(node: JsonSchema | undefined): JsonSchema | undefined {
  if (!node) return undefined;
  if (node.type === 'object') return node;
  return (node.anyOf as JsonSchema[] | undefined)?.find((b) => b.type === 'object');
}

/** The schema of the value at `path` (array indices step into `items`). */
export function schemaAt(root: JsonSchema, path: readonly PathSegment[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') node = asSchema(node.items);
    else node = asSchema((objectBranch(node)?.properties as Record<string, unknown> | undefined)?.[seg]);
  }
  return node;
}

/** The keys of `oneOf: [{ required: [a] }, { required: [b] }]` (exactly one of them): [[a], [b]]. */
function oneOfRequired(node: JsonSchema): string[][] {
  return ((node.oneOf as JsonSchema[] | undefined) ?? []).map((b) => (b.required as string[] | undefined) ?? []);
}

/** The smallest value the JSON Schema describes: required keys only (and the first of a oneOf), filled from `examples`. */
export function minimal(node: JsonSchema): unknown {
  const obj = objectBranch(node);
  if (obj) {
    const props = obj.properties as Record<string, JsonSchema>;
    const out: Record<string, unknown> = {};
    const required = [...((obj.required as string[] | undefined) ?? []), ...(oneOfRequired(node)[0] ?? [])];
    for (const key of required) out[key] = minimal(props[key]);
    return out;
  }
  if (node.type === 'array') return node.minItems ? [minimal(node.items as JsonSchema)] : [];
  const examples = node.examples as unknown[] | undefined;
  if (examples?.length) return structuredClone(examples[0]);
  if (node.default !== undefined) return structuredClone(node.default);
  throw new Error(`no example or default to build a minimal value from: ${JSON.stringify(node).slice(0, 120)}`);
}

/**
 * A copy of `doc` with `value` at `path`; missing containers on the way are minimal values. Setting one key
 * of a oneOf (rate or every; an event's action) removes the others, as a valid document would.
 */
export function withValue(root: JsonSchema, doc: unknown, path: readonly PathSegment[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (path.length === 0) return structuredClone(value);
  let node: Record<string | number, unknown> = copy;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      if (value === undefined) delete node[seg];
      else {
        node[seg] = structuredClone(value);
        const parent = schemaAt(root, path.slice(0, -1));
        const group = parent ? oneOfRequired(parent).find((keys) => keys.includes(String(seg))) : undefined;
        if (group) for (const other of oneOfRequired(parent!).flat()) if (!group.includes(other)) delete node[other];
      }
      return;
    }
    if (node[seg] === undefined || node[seg] === null || typeof node[seg] !== 'object') {
      node[seg] = minimal(schemaAt(root, path.slice(0, i + 1))!);
    }
    node = node[seg] as Record<string | number, unknown>;
  });
  return copy;
}

const startsWith = (p: readonly PropertyKey[], prefix: readonly PathSegment[]) => prefix.every((s, i) => p[i] === s);

/** The decoders' problems for `doc` (every field, each mapping's own keys; not the cross-field rules). */
function decoderProblems(doc: unknown): { problems: string[]; checked: ReturnType<typeof scenarioDecoder.check>; all: Sink } {
  const all: Sink = [];
  const checked = scenarioDecoder.check(doc, [], all);
  return { problems: all.map((p) => `${p.path.join('.')}: ${p.message}`), checked, all };
}

/** The decoders' problems at or below `path` for `doc`. */
export function loaderIssuesAt(doc: unknown, path: readonly PathSegment[]): string[] {
  const { all } = decoderProblems(doc);
  return all.filter((p) => startsWith(p.path, path)).map((p) => `${p.path.join('.')}: ${p.message}`);
}

/** The Scenario `doc` resolves to (throws with the problems when a decoder refuses it). */
export function loaderOutput(doc: unknown): Scenario {
  const { problems, checked } = decoderProblems(doc);
  if (problems.length > 0 || !isValid(checked)) throw new Error(problems.join('; '));
  return resolveScenario(scenarioDecoder.fill(present(checked)));
}

export interface Location {
  /** Path to the mapping, with 0 for array items, e.g. ['groups', 0, 'connect']. */
  path: PathSegment[];
  node: JsonSchema;
}

/** Every mapping of the scenario structure the JSON Schema describes, skipping `valueObjects` (dotted patterns). */
export function locations(root: JsonSchema, valueObjects: readonly string[]): Location[] {
  const out: Location[] = [];
  const visit = (node: JsonSchema, path: PathSegment[]) => {
    const obj = objectBranch(node);
    if (obj && !valueObjects.includes(pattern(path))) {
      out.push({ path, node: obj });
      for (const [key, child] of Object.entries(obj.properties as Record<string, JsonSchema>)) visit(child, [...path, key]);
    } else if (node.type === 'array') visit(node.items as JsonSchema, [...path, 0]);
  };
  visit(root, []);
  return out;
}

/** "groups[].connect" for ['groups', 0, 'connect'] (the form of schema.ts's key table). */
export function pattern(path: readonly PathSegment[]): string {
  return path
    .map((s) => (typeof s === 'number' ? '[]' : `.${s}`))
    .join('')
    .replace(/^\./, '');
}
