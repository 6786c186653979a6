import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './load.js';
import { DEFAULT_KIND, findStarter, listKinds, MODELINE_PREFIX, schemaReference, starterFileName, starterText, STARTER_KINDS } from './starters.js';
import { loaded } from '../../test/helpers/scenario.js';

const SCENARIOS = new URL('../../scenarios/', import.meta.url);

describe('starter kinds', () => {
  it('are exactly the shipped scenarios', () => {
    const shipped = readdirSync(SCENARIOS, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect(shipped).toContain('mqttbs/singlenode-p2p-1K-1K-1K-1K');
    expect(STARTER_KINDS.map((k) => k.kind).sort()).toEqual(shipped.sort());
    expect(findStarter(DEFAULT_KIND)?.kind).toBe('fanout');
    expect(findStarter('nope')).toBeUndefined();
  });

  it('find a suite case by its name alone, and write it under that name', () => {
    expect(findStarter('singlenode-sharesub-1K-5-1K-1K')?.kind).toBe('mqttbs/singlenode-sharesub-1K-5-1K-1K');
    expect(findStarter('mqttbs')).toBeUndefined();
    expect(starterFileName('mqttbs/singlenode-sharesub-1K-5-1K-1K')).toBe('singlenode-sharesub-1K-5-1K-1K.yaml');
    expect(starterFileName('fanout')).toBe('fanout.yaml');
  });

  it('are listed one per line with the default marked', () => {
    const lines = listKinds().split('\n');
    expect(lines).toHaveLength(STARTER_KINDS.length);
    expect(lines[0]).toMatch(/^ {2}fanout +\S.*\(default\)$/);
    expect(lines.filter((l) => l.includes('(default)'))).toHaveLength(1);
  });
});

describe('schemaReference', () => {
  const schema = '/opt/app/node_modules/mqbench/schema/scenario.schema.json';

  it('is relative to the scenario folder when they share a folder', () => {
    expect(schemaReference('/opt/app/bench.yaml', schema)).toBe('node_modules/mqbench/schema/scenario.schema.json');
    expect(schemaReference('/opt/app/scenarios/x.yaml', schema)).toBe('../node_modules/mqbench/schema/scenario.schema.json');
    expect(schemaReference('/opt/app/node_modules/mqbench/scenarios/x.yaml', schema)).toBe('../schema/scenario.schema.json');
  });

  it('is absolute when only the filesystem root is shared', () => {
    expect(schemaReference('/tmp/x.yaml', schema)).toBe(schema);
    expect(schemaReference('/home/me/work/x.yaml', schema)).toBe(schema);
  });
});

describe('starterText', () => {
  const shipped = readFileSync(new URL('qos-mix.yaml', SCENARIOS), 'utf8');
  const text = starterText(shipped, 'qos-mix', '/x/schema/scenario.schema.json', 'mix.yaml');

  it('points its first line at the given schema and keeps the comment block and the scenario', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${MODELINE_PREFIX}/x/schema/scenario.schema.json`);
    expect(lines.filter((l) => l.startsWith(MODELINE_PREFIX))).toHaveLength(1);
    expect(text).toContain('mqbench init qos-mix');
    expect(text).toContain('mqbench validate mix.yaml');
    expect(text).toContain('# qos-mix.yaml — one fleet, three promises');
    expect(text.endsWith(shipped.split('\n').slice(1).join('\n'))).toBe(true);
  });

  it.each(STARTER_KINDS.map((k) => k.kind))('%s loads as the same scenario as the shipped file', (kind) => {
    const source = readFileSync(new URL(`${kind}.yaml`, SCENARIOS), 'utf8');
    const a = loaded(parseScenarioText(source, 'a.yaml', {})).scenario;
    const b = loaded(parseScenarioText(starterText(source, kind, '../schema/scenario.schema.json', 'b.yaml'), 'b.yaml', {})).scenario;
    expect(b).toEqual(a);
  });
});
