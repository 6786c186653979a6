/**
 * `mqbench init`: the built CLI writes starter scenarios that validate, point at the package's JSON Schema,
 * and never overwrite a file without --force.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mqbench, ROOT } from '../helpers/cli.js';

const KINDS = ['fanout', 'fanin', 'qos-mix', 'reconnect-storm', 'p2p', 'retained', 'connections'];
const dir = mkdtempSync(join(tmpdir(), 'mqbench-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PREFIX = '# yaml-language-server: $schema=';

/** The schema file a starter's first line points at, resolved as yaml-language-server does. */
function schemaOf(file: string): string {
  const first = readFileSync(file, 'utf8').split('\n')[0];
  expect(first.startsWith(PREFIX)).toBe(true);
  const ref = first.slice(PREFIX.length);
  return isAbsolute(ref) ? ref : resolve(dirname(file), ref);
}

function compileSchema(file: string) {
  const ajv = new Ajv({ allowUnionTypes: true, strictRequired: false }).addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
}

describe('mqbench init', () => {
  it('writes ./fanout.yaml by default, pointing at the package schema', async () => {
    const cwd = mkdtempSync(join(dir, 'default-'));
    const r = await mqbench(['init'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote fanout.yaml');
    const file = join(cwd, 'fanout.yaml');
    expect(readFileSync(file, 'utf8')).toContain('name: fanout-commands');
    expect(schemaOf(file)).toBe(join(ROOT, 'schema', 'scenario.schema.json'));
  });

  it('writes the chosen kind to --out; the file validates with mqbench and against its schema', async () => {
    const out = join(dir, 'mix.yaml');
    const r = await mqbench(['init', 'qos-mix', '--out', out]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('qos: { 0: 70%, 1: 25%, 2: 5% }');
    expect(text).toContain('# What it models:');
    const v = await mqbench(['validate', out]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const validate = compileSchema(schemaOf(out));
    expect(validate(parse(text)) ? [] : validate.errors).toEqual([]);
  });

  it('points at the schema with a relative path when the file is inside the package folder', async () => {
    const out = join(ROOT, 'results', `init-test-${process.pid}.yaml`); // results/ is ignored by git
    try {
      const r = await mqbench(['init', 'p2p', '--out', out]);
      expect(r.code).toBe(0);
      expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(`${PREFIX}../schema/scenario.schema.json`);
      expect(existsSync(schemaOf(out))).toBe(true);
    } finally {
      rmSync(out, { force: true });
    }
  });

  it('refuses to overwrite a file without --force (exit 2 with a hint), and overwrites with it', async () => {
    const out = join(dir, 'taken.yaml');
    writeFileSync(out, 'mine\n');
    const r = await mqbench(['init', 'retained', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists');
    expect(r.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    const f = await mqbench(['init', 'retained', '--out', out, '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('name: retained-state');
  });

  it('names the kinds when the kind is unknown (exit 2), with a suggestion', async () => {
    const r = await mqbench(['init', 'fanot', '--out', join(dir, 'never.yaml')]);
    expect(r.code).toBe(2);
    for (const kind of KINDS) expect(r.stderr).toContain(kind);
    expect(r.stderr).toContain('did you mean "fanout"?');
    expect(existsSync(join(dir, 'never.yaml'))).toBe(false);
  });

  it('--help lists every kind with a description and an example', async () => {
    const r = await mqbench(['init', '--help']);
    expect(r.code).toBe(0);
    for (const kind of KINDS) expect(r.stdout).toMatch(new RegExp(`^ {2}${kind} +\\S`, 'm'));
    expect(r.stdout).toContain('$ mqbench init qos-mix --out');
  });

  it('writes a suite case under its own name; it validates and keeps its comment block', async () => {
    const cwd = mkdtempSync(join(dir, 'mqttbs-'));
    const r = await mqbench(['init', 'singlenode-sharesub-1K-5-1K-1K'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const file = join(cwd, 'singlenode-sharesub-1K-5-1K-1K.yaml');
    expect(readFileSync(file, 'utf8')).toContain('Open MQTT Benchmark Suite, Basic set');
    expect(schemaOf(file)).toBe(join(ROOT, 'schema', 'scenario.schema.json'));
    const v = await mqbench(['validate', file]);
    expect(v.code, v.stderr).toBe(0);
    const help = await mqbench(['init', '--help']);
    expect(help.stdout).toMatch(/^ {2}mqttbs\/singlenode-conn-tcp-1M-5K +suite, Enterprise/m);
  });

  it('writes every kind into a folder given as --out; each one is valid against the schema it names', async () => {
    const folder = join(dir, 'all') + '/';
    for (const kind of KINDS) {
      const r = await mqbench(['init', kind, '--out', folder]);
      expect(r.code, r.stderr).toBe(0);
      const file = join(folder, `${kind}.yaml`);
      const validate = compileSchema(schemaOf(file));
      expect(validate(parse(readFileSync(file, 'utf8'))) ? [] : validate.errors, kind).toEqual([]);
    }
    // One `validate` per kind is in starters.test.ts (in process); here one more through the CLI.
    const v = await mqbench(['validate', join(folder, 'reconnect-storm.yaml')]);
    expect(v.code, v.stderr).toBe(0);
  });
});
