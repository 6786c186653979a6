/**
 * `mqbench compare` and thresholds through the built CLI, spawned as a user would.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeResults } from '../../src/report/fixture.test-helper.js';
import { junitProblems } from '../../src/report/junitSchema.test-helper.js';
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
  it('prints a terminal table with the change and no verdict for one run per side', async () => {
    const r = await mqbench(['compare', a, b]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Unlabelled: named by broker and scenario, and by address where one broker product ran at two.
    expect(r.stdout).toContain('a: mosquitto (fanout-commands) @127.0.0.1:1883');
    expect(r.stdout).toContain('b: mosquitto (fanout-commands) @10.0.0.2:1883');
    expect(r.stdout).toMatch(/│ end-to-end p99 \(ms\) +│ +1\.24 +│ +2\.50 +│ +\+100\.8 % +│ no verdict \(one run on a side\) +│/);
    expect(r.stdout).toContain('bootstrap percentile interval');
  });

  it('prints GitHub Markdown with --markdown, takes label=file and label=a,b for repeats', async () => {
    const r = await mqbench(['compare', `mosquitto=${a},${a}`, `emqx=${b},${b}`, '--markdown', '--json', join(tmp, 'cmp.json')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('| figure | a: mosquitto (2 runs) | b: emqx (2 runs) | b vs a | verdict |');
    expect(lines[1]).toBe('| :--- | ---: | ---: | ---: | ---: |');
    expect(lines).toContain('| end-to-end p99 (ms) | **1.24 [1.24–1.24]** | 2.50 [2.50–2.50] | +100.8 % [+100.8 %, +100.8 %] | mosquitto better |');
    const model = JSON.parse(readFileSync(join(tmp, 'cmp.json'), 'utf8'));
    expect(model.sides).toEqual([
      { label: 'mosquitto', runs: 2 },
      { label: 'emqx', runs: 2 },
    ]);
  });

  it('compares a baseline and a current run of the same broker and scenario by file name; identical runs differ in nothing', async () => {
    const c = join(tmp, 'current.json');
    writeFileSync(c, JSON.stringify(makeResults()));
    const r = await mqbench(['compare', a, c]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ figure +│ a: a +│ b: current +│ b vs a +│ verdict +│/);
    expect(r.stdout).toMatch(/│ end-to-end p99 \(ms\) +│ +1\.24 +│ +1\.24 +│ +±0\.0 % +│ no significant difference +│/);
    expect(r.stdout).not.toMatch(/│ \w+ better +│/);
  });

  it('reports no significant difference for two identical sets of runs', async () => {
    const r = await mqbench(['compare', `x=${a},${a},${a}`, `y=${a},${a},${a}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/│ \w+ better +│/);
    expect(r.stdout).toMatch(/end-to-end p99 \(ms\).*no significant difference/);
  });

  it('--fail-on exits 3 on a regression and names the failing gate in the JUnit file', async () => {
    const junit = join(tmp, 'gates.xml');
    const r = await mqbench([
      'compare',
      `baseline=${a}`,
      `current=${b}`,
      '--fail-on',
      'endToEnd.p99 > +10%, throughput.receivedPerSec < -5%',
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('FAIL endToEnd.p99 > +10%: +100.8 %');
    expect(r.stdout).toContain('ok   throughput.receivedPerSec < -5%: ±0.0 %');
    expect(r.stderr).toContain('1 regression gate(s) failed');
    const xml = readFileSync(junit, 'utf8');
    expect(junitProblems(xml)).toEqual([]);
    expect(xml).toContain('<failure message="regression: endToEnd.p99 &gt; +10%: +100.8 %" type="regression">');
    const ok = await mqbench(['compare', `baseline=${a}`, `current=${a}`, '--fail-on', 'endToEnd.p99 > +10%']);
    expect(ok.code).toBe(0);
    const bad = await mqbench(['compare', a, b, '--fail-on', 'endToEnd.p98 > 10%']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown metric "endToEnd.p98"');
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
  writeFileSync(
    scenario,
    `
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
`,
  );

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
