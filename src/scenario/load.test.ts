import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../shared/errors.js';
import { loaded, problemLines, problems } from '../../test/helpers/scenario.js';
import { loadScenario, parseScenarioText } from './load.js';
import type { Scenario } from './model.js';
import { parsed } from '../thresholds/parsed.test-helper.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ENV = { MQTT_USER: 'bench', MQTT_PASSWORD: 'pa55word!' };

const loadProblems = async (file: string, env: Record<string, string> = {}) => problems(await loadScenario(file, env));

describe('loadScenario: a valid file', () => {
  it('round-trips the full fixture to the expected Scenario, defaults filled', async () => {
    const l = loaded(await loadScenario(fixture('full.yaml'), ENV));
    const expected: Scenario = {
      name: 'fanout-commands',
      description: 'One backend pushes commands to 2,000 devices, one topic per device.',
      target: { url: 'mqtt://127.0.0.1:1883', mqttVersion: 5, username: 'bench', password: 'pa55word!' },
      warmupMs: 2000,
      durationMs: 90_000,
      drainMs: 500,
      workers: 4,
      groups: [
        {
          name: 'devices',
          count: 2000,
          clientId: 'dev-{i}',
          connect: { rate: 500, clean: false, keepaliveSec: 30, sessionExpirySec: 3600, timeoutMs: 5000 },
          subscribe: [
            { topic: 'cmd/{i}', qos: 1 },
            { topic: 'broadcast/#', qos: 0 },
            { topic: '$share/{group}/jobs/+', qos: 2 },
          ],
        },
        {
          name: 'backend',
          count: 1,
          clientId: 'mqb-{run}-{group}-{i}',
          connect: { rate: 1000, clean: true, keepaliveSec: 60, timeoutMs: 10_000 },
          subscribe: [],
          publish: { topic: 'cmd/{target}', qos: 1, retain: false, rate: { kind: 'rate', perSec: 2000 }, payload: { size: 1024 }, targets: 'devices' },
        },
        {
          name: 'sensors',
          count: 100,
          clientId: 'mqb-{run}-{group}-{i}',
          connect: { rate: 1000, clean: true, keepaliveSec: 60, timeoutMs: 10_000 },
          subscribe: [],
          publish: { topic: 'telemetry/{clientId}/{seq}', qos: 0, retain: true, rate: { kind: 'every', everyMs: 5000 }, payload: { size: 64 } },
        },
      ],
      events: [],
      thresholds: parsed(['endToEnd.p99 < 50ms', 'messages.lost == 0']),
    };
    expect(l.scenario).toEqual(expected);
    expect(l.file).toBe(fixture('full.yaml'));
    expect(l.secretPaths).toEqual(['target.username', 'target.password']);
    // Plain data: it must survive the trip into a worker thread.
    expect(structuredClone(l.scenario)).toEqual(expected);
  });

  it('fills every default for a minimal scenario', () => {
    const { scenario } = loaded(parseScenarioText('name: tiny\ngroups:\n  - name: a\n    count: 1\n', 't.yaml', {}));
    expect(scenario).toEqual({
      name: 'tiny',
      target: { url: 'embedded', mqttVersion: 4 },
      warmupMs: 0,
      durationMs: 10_000,
      drainMs: 2000,
      groups: [
        {
          name: 'a',
          count: 1,
          clientId: 'mqb-{run}-{group}-{i}',
          connect: { rate: 1000, clean: true, keepaliveSec: 60, timeoutMs: 10_000 },
          subscribe: [],
        },
      ],
      events: [],
      thresholds: [],
    });
    expect(Object.keys(scenario)).not.toContain('workers');
  });

  it.each<[string, 4 | 5]>([
    ['3.1.1', 4],
    ['"3.1.1"', 4],
    ['4', 4],
    ['5', 5],
    ['"5"', 5],
  ])('mqttVersion %s → protocol level %d', (written, level) => {
    const text = `name: v\ntarget: { mqttVersion: ${written} }\ngroups: [ { name: a, count: 1 } ]\n`;
    expect(loaded(parseScenarioText(text, 'v.yaml', {})).scenario.target.mqttVersion).toBe(level);
  });

  it.each(['5.0'])('mqttVersion %s is read as written and still accepted', (written) => {
    const text = `name: v\ntarget: { mqttVersion: ${written} }\ngroups: [ { name: a, count: 1 } ]\n`;
    expect(loaded(parseScenarioText(text, 'v.yaml', {})).scenario.target.mqttVersion).toBe(5);
  });

  it.each([
    ['4.0', "must be 3.1, 3.1.1 or 5, got '4.0'"],
    ['4.00', "must be 3.1, 3.1.1 or 5, got '4.00'"],
    ['0x4', "must be 3.1, 3.1.1 or 5, got '0x4'"],
    ['6', 'must be 3.1, 3.1.1 or 5, got 6'],
  ])('mqttVersion %s (which YAML may read as a number) is refused as written', (written, message) => {
    const text = `name: v\ntarget:\n  mqttVersion: ${written}\ngroups: [ { name: a, count: 1 } ]\n`;
    expect(problems(parseScenarioText(text, 'v.yaml', {}))).toEqual([{ file: 'v.yaml', line: 3, col: 16, path: 'target.mqttVersion', message }]);
  });

  it('{target} defaults to the only other group', () => {
    const text = [
      'name: t',
      'groups:',
      '  - { name: devices, count: 5, subscribe: ["cmd/{i}"] }',
      '  - { name: backend, count: 1, publish: { topic: "cmd/{target}", every: 500ms } }',
    ].join('\n');
    const publish = loaded(parseScenarioText(text, 't.yaml', {})).scenario.groups[1].publish;
    expect(publish).toMatchObject({ targets: 'devices', rate: { kind: 'every', everyMs: 500 } });
  });

  it('publish.inflight: a whole number from 1 to 65,535, absent unless set (then the broker decides)', () => {
    const withInflight = (x: string) => `name: t\ngroups:\n  - { name: a, count: 1, publish: { topic: t, qos: 1, rate: 1/s${x} } }\n`;
    expect(loaded(parseScenarioText(withInflight(', inflight: 100'), 't.yaml', {})).scenario.groups[0].publish?.inflight).toBe(100);
    expect(loaded(parseScenarioText(withInflight(''), 't.yaml', {})).scenario.groups[0].publish).not.toHaveProperty('inflight');
    for (const bad of ['0', '65536', '2.5', 'many']) {
      expect(problemLines(parseScenarioText(withInflight(`, inflight: ${bad}`), 't.yaml', {})).join('\n'), bad).toMatch(
        /publish\.inflight.*whole number from 1 to 65535/s,
      );
    }
  });

  it('accepts a BOM and Windows line endings', () => {
    const text = '\ufeffname: crlf\r\ngroups:\r\n  - name: a\r\n    count: 2\r\n';
    expect(loaded(parseScenarioText(text, 'w.yaml', {})).scenario.groups[0].count).toBe(2);
  });
});

describe('loadScenario: the file itself', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mqb-scenario-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an unreadable file is a UserError with exit code 2, not a scenario problem', async () => {
    const file = join(dir, 'missing.yaml');
    const err = await loadScenario(file, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`cannot read scenario file ${file}: no such file`);
    expect((err as UserError).exitCode).toBe(ExitCode.usage);
  });

  it('a directory is unreadable too', async () => {
    await expect(loadScenario(dir, {})).rejects.toThrow(`cannot read scenario file ${dir}: it is a directory`);
  });

  it.each([
    ['empty', '', 'the scenario file is empty'],
    ['only comments', '# nothing here\n\n', 'the scenario file is empty'],
    ['a list', '- name: x\n', 'a scenario must be a mapping of keys (name:, groups:, …), got a list'],
    ['a scalar', 'just text\n', 'a scenario must be a mapping of keys (name:, groups:, …), got a single value'],
  ])('%s → one problem at 1:1', async (_label, text, message) => {
    const file = join(dir, 'x.yaml');
    await writeFile(file, text);
    expect(await loadProblems(file)).toEqual([expect.objectContaining({ line: 1, col: 1, path: '', message })]);
  });

  it('a file over 1 MB is a problem, not parsed', async () => {
    const file = join(dir, 'big.yaml');
    await writeFile(file, `name: big\n#${'x'.repeat(1024 * 1024)}\n`);
    const found = await loadProblems(file);
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/^the scenario file is \d+ bytes; the limit is 1048576 \(1 MB\)$/);
  });

  it('a UTF-16 file is refused with a hint to save it as UTF-8', async () => {
    const file = join(dir, 'utf16.yaml');
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x\n', 'utf16le')]));
    expect(await loadProblems(file)).toEqual([
      expect.objectContaining({ line: 1, col: 1, message: 'this is not a UTF-8 text file', hint: 'the file looks like UTF-16: save it as UTF-8' }),
    ]);
  });

  it('loadScenario passes limits on to the checks', async () => {
    const file = join(dir, 'limits.yaml');
    await writeFile(file, 'name: l\ngroups:\n  - { name: a, count: 20, clientId: "a-{i}" }\n');
    expect(loaded(await loadScenario(file, {})).scenario.groups[0].count).toBe(20);
    expect(problems(await loadScenario(file, {}, { maxConnections: 10 }))).toEqual([expect.objectContaining({ line: 3, col: 23, path: 'groups[0].count' })]);
  });

  it('binary garbage is a problem, no crash', async () => {
    const file = join(dir, 'garbage.bin');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    await writeFile(file, bytes);
    expect(await loadProblems(file)).toEqual([expect.objectContaining({ line: 1, col: 1, message: 'this is not a UTF-8 text file' })]);
  });

  it.each([
    ['a self-referencing alias', 'name: x\nloop: &a [*a]\n', 'the YAML is nested more than 64 levels deep (or an alias refers to itself)'],
    ['deep nesting', `name: x\ndeep: ${'['.repeat(100)}${']'.repeat(100)}\n`, 'the YAML is nested more than 64 levels deep (or an alias refers to itself)'],
    [
      'an alias bomb',
      [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ].join('\n'),
      'the YAML uses too many aliases (*name) to expand',
    ],
  ])('%s is a problem, no crash', (_label, text, message) => {
    expect(problems(parseScenarioText(text, 'a.yaml', {}))).toEqual([{ file: 'a.yaml', line: 1, col: 1, path: '', message }]);
  });

  it('valid UTF-8 with control characters is a positioned problem', () => {
    expect(problems(parseScenarioText('name: x\nab\u0000c: 1\n', 'c.yaml', {}))).toEqual([
      expect.objectContaining({ line: 2, col: 3, message: 'this is not a text file (it contains binary data)' }),
    ]);
  });
});
