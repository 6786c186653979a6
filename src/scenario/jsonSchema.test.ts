/**
 * schema/scenario.schema.json (for editors) against schema.ts (the loader's decoders, the truth): same keys at the same places,
 * unknown keys refused everywhere, the same required keys and defaults, examples the loader accepts, shipped
 * scenarios valid under both, and the committed file exactly what `npm run schema` writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderScenarioJsonSchema, scenarioJsonSchema } from './jsonSchema.js';
import { locations, minimal, newAjv, pattern, withValue, loaderIssuesAt, loaderOutput } from './jsonSchema.test-helper.js';
import type { JsonSchema } from './jsonSchemaValues.js';
import { parseScenarioText } from './load.js';
import { loaded } from '../../test/helpers/scenario.js';
import type { PathSegment } from './problems.js';
import { allowedKeysAt } from './schema.js';

const root = scenarioJsonSchema();
/** Mappings that are one value read by a parser in fieldParsers.ts (not a mapping decoder with its own keys). */
// Mappings whose keys are data, not fixed keys: a QoS mix, and user properties (name → value).
const VALUE_OBJECTS = ['groups[].publish.qos', 'groups[].publish.properties.userProperties'];
const places = locations(root, VALUE_OBJECTS);
const SCHEMA_FILE = new URL('../../schema/scenario.schema.json', import.meta.url);
const SCENARIOS = new URL('../../scenarios/', import.meta.url);
/** Every shipped scenario, in sub-folders too (scenarios/mqttbs/). */
const shipped = readdirSync(SCENARIOS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Every mapping pattern schema.ts knows, found by following allowedKeysAt from the root. */
function decoderPlaces(): string[] {
  const found: string[] = [];
  const visit = (path: PathSegment[]) => {
    found.push(pattern(path));
    for (const key of allowedKeysAt(path)) {
      if (allowedKeysAt([...path, key]).length) visit([...path, key]);
      if (allowedKeysAt([...path, key, 0]).length) visit([...path, key, 0]);
    }
  };
  visit([]);
  return found.sort();
}

describe('scenario JSON Schema: in step with the decoders of the loader', () => {
  it('describes the same mappings, each with exactly the keys schema.ts allows', () => {
    expect(places.map((p) => pattern(p.path)).sort()).toEqual(decoderPlaces());
    for (const { path, node } of places) {
      expect(Object.keys(node.properties as object).sort(), pattern(path) || '(root)').toEqual([...allowedKeysAt(path)].sort());
    }
  });

  it('refuses unknown keys in every mapping, and describes every property', () => {
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const n = node as JsonSchema;
      // A record (keys are data, values typed: user properties) says what its values are instead.
      const record = typeof n.additionalProperties === 'object' && n.additionalProperties !== null;
      if ((n.type === 'object' || n.properties) && !record) expect(n.additionalProperties, at).toBe(false);
      for (const [key, prop] of Object.entries((n.properties ?? {}) as Record<string, JsonSchema>)) {
        expect(typeof prop.description === 'string' && prop.description.length > 10, `${at}/properties/${key} has a description`).toBe(true);
      }
      for (const [key, child] of Object.entries(n)) {
        if (key === 'examples' || key === 'default') continue;
        // `properties` maps names to schemas (a property may itself be called "properties").
        if (key === 'properties') for (const [k, c] of Object.entries(child as Record<string, unknown>)) walk(c, `${at}/properties/${k}`);
        else walk(child, `${at}/${key}`);
      }
    };
    walk(root, '#');
  });

  it('builds a minimal scenario from required keys and examples that the loader accepts', () => {
    expect(() => loaderOutput(minimal(root))).not.toThrow();
  });

  for (const { path, node } of places) {
    const where = pattern(path) || '(root)';
    const props = node.properties as Record<string, JsonSchema>;
    const required = (node.required as string[] | undefined) ?? [];
    const base = withValue(root, minimal(root), path, minimal(node));

    it(`${where}: required keys are the ones the loader requires`, () => {
      expect(loaderIssuesAt(base, path)).toEqual([]);
      for (const key of required) {
        expect(loaderIssuesAt(withValue(root, base, [...path, key], undefined), path), `${where}.${key} is required`).not.toEqual([]);
      }
    });

    it(`${where}: defaults mean what leaving the key out means, and examples are accepted`, () => {
      const ajv = newAjv();
      for (const [key, prop] of Object.entries(props)) {
        const at = [...path, key];
        if (prop.default !== undefined) {
          expect(ajv.validate(prop, prop.default), `${where}.${key} default is valid JSON`).toBe(true);
          expect(loaderOutput(withValue(root, base, at, prop.default)), `${where}.${key} default`).toEqual(loaderOutput(withValue(root, base, at, undefined)));
        }
        for (const example of (prop.examples as unknown[] | undefined) ?? []) {
          expect(ajv.validate(prop, example), `${where}.${key} example ${JSON.stringify(example)} (JSON Schema)`).toBe(true);
          expect(loaderIssuesAt(withValue(root, base, at, example), at), `${where}.${key} example ${JSON.stringify(example)} (loader)`).toEqual([]);
        }
      }
    });
  }
});

describe('scenario JSON Schema: the shipped scenarios', () => {
  const validate = newAjv().compile(root);

  it('include the Open MQTT Benchmark Suite pack', () => {
    expect(shipped.filter((f) => f.startsWith('mqttbs/'))).toHaveLength(8);
  });

  it.each(shipped)('%s starts with the yaml-language-server line, is valid JSON Schema-wise and loads', (file) => {
    const text = readFileSync(new URL(file, SCENARIOS), 'utf8');
    const up = '../'.repeat(file.split('/').length);
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${up}schema/scenario.schema.json`);
    expect(text.split('\n')[1]).toMatch(/^# \S/); // the explaining comment block follows
    const ok = validate(parse(text));
    expect(ok ? [] : validate.errors).toEqual([]);
    expect(loaded(parseScenarioText(text, `scenarios/${file}`, {})).scenario.name).toBeTruthy();
  });

  it('accepts the fixture that uses every key, and reports unknown keys like the loader does', () => {
    const full = parse(readFileSync(new URL('./fixtures/full.yaml', import.meta.url), 'utf8'));
    expect(validate(full) ? [] : validate.errors).toEqual([]);
    const typos = parse(readFileSync(new URL('./fixtures/unknown-keys.yaml', import.meta.url), 'utf8'));
    expect(validate(typos)).toBe(false);
    const unknown = validate.errors!.filter((e) => e.keyword === 'additionalProperties').map((e) => e.params.additionalProperty);
    expect(unknown).toEqual(expect.arrayContaining(['duraton', 'conect', 'qso']));
  });

  it('asks for exactly one of rate and every, and one action per event', () => {
    const pub = (p: object) => ({ name: 'x', groups: [{ name: 'g', count: 1, publish: { topic: 't', ...p } }] });
    expect(validate(pub({ rate: '1/s' }))).toBe(true);
    expect(validate(pub({ every: '1s' }))).toBe(true);
    expect(validate(pub({}))).toBe(false);
    expect(validate(pub({ rate: '1/s', every: '1s' }))).toBe(false);
    const ev = (e: object) => ({ name: 'x', groups: [{ name: 'g', count: 1 }], events: [{ at: '1s', ...e }] });
    expect(validate(ev({ pause: { group: 'g' } }))).toBe(true);
    expect(validate(ev({}))).toBe(false);
    expect(validate(ev({ pause: { group: 'g' }, resume: { group: 'g' } }))).toBe(false);
  });
});

describe('schema/scenario.schema.json', () => {
  it('is what `npm run schema` writes (run it after changing src/scenario/jsonSchema*.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'schema/scenario.schema.json is stale: run npm run schema').toBe(renderScenarioJsonSchema());
  });

  it('is draft-07, the newest draft yaml-language-server supports', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')).$schema).toBe('http://json-schema.org/draft-07/schema#');
  });
});
