/**
 * Helpers for the tests that keep schema/scenario.schema.json in step with the zod schema: navigation in the
 * JSON Schema, minimal documents built from its required keys and examples, and zod issues at a path.
 */
import { Ajv } from 'ajv';
import type { JsonSchema } from './jsonSchemaValues.js';
import type { PathSegment } from './problems.js';
import { scenarioSchema } from './schema.js';

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

/** The smallest value the JSON Schema describes: required keys only, filled from `examples`. */
export function minimal(node: JsonSchema): unknown {
  const obj = objectBranch(node);
  if (obj) {
    const props = obj.properties as Record<string, JsonSchema>;
    const out: Record<string, unknown> = {};
    for (const key of (obj.required as string[] | undefined) ?? []) out[key] = minimal(props[key]);
    return out;
  }
  if (node.type === 'array') return node.minItems ? [minimal(node.items as JsonSchema)] : [];
  const examples = node.examples as unknown[] | undefined;
  if (examples?.length) return structuredClone(examples[0]);
  if (node.default !== undefined) return structuredClone(node.default);
  throw new Error(`no example or default to build a minimal value from: ${JSON.stringify(node).slice(0, 120)}`);
}

/** A copy of `doc` with `value` at `path`; missing containers on the way are minimal values. */
export function withValue(root: JsonSchema, doc: unknown, path: readonly PathSegment[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (path.length === 0) return structuredClone(value);
  let node: Record<string | number, unknown> = copy;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      if (value === undefined) delete node[seg];
      else node[seg] = structuredClone(value);
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

/** Zod's issues at or below `path` for `doc`. */
export function zodIssuesAt(doc: unknown, path: readonly PathSegment[]): string[] {
  const r = scenarioSchema.safeParse(doc);
  if (r.success) return [];
  return r.error.issues.filter((i) => startsWith(i.path, path)).map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** The zod output for `doc` (throws with the issues when it does not parse). */
export function zodOutput(doc: unknown): unknown {
  const r = scenarioSchema.safeParse(doc);
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
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
  return path.map((s) => (typeof s === 'number' ? '[]' : `.${s}`)).join('').replace(/^\./, '');
}
