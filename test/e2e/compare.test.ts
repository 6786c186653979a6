/**
 * `mqbench compare` and thresholds through the built CLI, spawned as a user would.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeResults } from '../../src/report/fixture.test-helper.js';
import { mqbench } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-compare-'));
const STACK = /\n\s+at .+:\d+:\d+\)?/;

const a = join(tmp, 'a.json');
const b = join(tmp, 'b.json');
writeFileSync(a, JSON.stringify(makeResults()));
const slower = makeResults({ target: { url: 'mqtt://10.0.0.2:1883' }, messages: { lost: 4 } });
slower.summary.latencyMs.endToEnd = { ...slower.summary.latencyMs.endToEnd, p99: 2.5 };
writeFileSync(b, JSON.stringify(slower));

describe('mqbench compare', () => {
  it('prints a terminal table with the ratio and the better side', async () => {
    const r = await mqbench(['compare', a, b]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a: mqtt://127.0.0.1:1883 (fanout-commands)');
    expect(r.stdout).toContain('b: mqtt://10.0.0.2:1883 (fanout-commands)');
    expect(r.stdout).toMatch(/│ end-to-end p99 \(ms\) +│ +1\.24 │ +2\.50 │ +2\.01× │ +a +│/);
    expect(r.stdout).toMatch(/│ messages lost +│ +0 │ +4 │ +– │ +a +│/);
  });

  it('prints GitHub Markdown with --markdown, and takes label=file', async () => {
    const r = await mqbench(['compare', `mosquitto=${a}`, `emqx=${b}`, '--markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('| figure | a: mosquitto | b: emqx | b/a | better |');
    expect(lines[1]).toBe('| :--- | ---: | ---: | ---: | :---: |');
    expect(lines).toContain('| end-to-end p99 (ms) | 1.24 | 2.50 | 2.01× | a |');
  });

  it('tells two runs of the same broker and scenario apart by file name', async () => {
    const r = await mqbench(['compare', a, a]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a: mqtt://127.0.0.1:1883 (fanout-commands) a.json');
  });

  it('exits 2 naming each unreadable or invalid file, without a stack trace', async () => {
    const notJson = join(tmp, 'bad.json');
    writeFileSync(notJson, '{ nope');
    const r = await mqbench(['compare', a, notJson, join(tmp, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${notJson} is not valid JSON`);
    expect(r.stderr).toContain(`cannot read results file ${join(tmp, 'missing.json')}: no such file`);
    expect(r.stderr).not.toMatch(STACK);
    const one = await mqbench(['compare', a]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/two or more results files/);
  });

  it('has --help with an example', async () => {
    const r = await mqbench(['compare', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ mqbench compare');
    expect(r.stdout).toContain('--markdown');
  });
});

describe('thresholds through mqbench run', () => {
  const scenario = join(tmp, 'tiny.yaml');
  writeFileSync(scenario, `
name: tiny-thresholds
target: { url: embedded, mqttVersion: 3.1.1 }
warmup: 0s
drain: 1s
groups:
  - name: devices
    count: 5
    clientId: "tiny-{run}-{i}"
    subscribe: [ { topic: "tiny/{run}/{i}", qos: 1 } ]
  - name: backend
    count: 1
    clientId: "tinyb-{run}-{i}"
    publish: { topic: "tiny/{run}/{target}", targets: devices, qos: 1, rate: 50/s, payload: { size: 64 } }
thresholds:
  - "messages.lost == 0"
`);

  it('exits 3 when a threshold fails on a complete run, with the FAIL row and the results JSON', async () => {
    const out = join(tmp, 'tiny.json');
    const r = await mqbench(['run', scenario, '--duration', '1s', '--quiet', '--out', out, '--threshold', 'endToEnd.p50 < 0.001ms']);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Thresholds');
    expect(r.stdout).toMatch(/│ endToEnd\.p50 < 0\.001ms +│ +[\d.,]+ ms │ FAIL +│/);
    expect(r.stdout).toMatch(/│ messages\.lost == 0 +│ +0 │ pass +│/);
    expect(r.stderr).toContain('Thresholds: 1 of 2 failed');
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.status).toBe('complete');
    expect(json.thresholds).toEqual([
      { expression: 'messages.lost == 0', actual: 0, ok: true },
      { expression: 'endToEnd.p50 < 0.001ms', actual: expect.any(Number), ok: false },
    ]);
    expect(json.thresholds[1].actual).toBeGreaterThan(0.001);
  });

  it('refuses an invalid --threshold as a usage error before running', async () => {
    const r = await mqbench(['run', scenario, '--threshold', 'endToEnd.p99.9 < 5ms']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown metric "endToEnd.p99.9" (hint: did you mean "endToEnd.p999"?)');
    expect(r.stderr).not.toMatch(/embedded aedes broker/);
  });
});
