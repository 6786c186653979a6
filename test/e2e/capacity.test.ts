import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitProblems } from '../../src/report/junitSchema.test-helper.js';
import { mqbench } from '../helpers/cli.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { fanoutYaml } from '../helpers/scenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-capacity-'));

describe('mqbench capacity (built CLI against mosquitto)', () => {
  const mosq = useMosquitto();

  it('steps the rate up to the ceiling when the SLO holds, and writes every step to the results', async () => {
    const file = join(tmp, 's.yaml');
    writeFileSync(file, fanoutYaml({ url: mosq.url, devices: 20, rate: '100/s', warmup: '0s' }));
    const out = join(tmp, 'cap.json');
    const r = await mqbench([
      'capacity',
      file,
      '--slo',
      'messages.lost==0,connections.failed==0',
      '--from',
      '100/s',
      '--to',
      '400/s',
      '--step-duration',
      '1s',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Max sustainable: 400 msg\/s with e2e p99 [\d.]+ ms \(the SLO held up to the ceiling 400\)/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.capacity.steps.map((s: { rate: number }) => s.rate)).toEqual([100, 200, 400]);
    expect(json.capacity.maxRate).toBe(400);
    expect(json.capacity.slo).toEqual(['messages.lost==0', 'connections.failed==0']);
    // The results of the best step: 400 msg/s for 1 s.
    expect(Math.abs(json.summary.messages.sent - 400)).toBeLessThanOrEqual(2);
  });

  it('an SLO that fails at the first step: no max, exit 1', async () => {
    const file = join(tmp, 's2.yaml');
    writeFileSync(file, fanoutYaml({ url: mosq.url, devices: 5, rate: '50/s', warmup: '0s' }));
    const junit = join(tmp, 'cap2.xml');
    const csv = join(tmp, 'cap2.csv');
    const r = await mqbench([
      'capacity',
      file,
      '--slo',
      'endToEnd.p50<0.0001ms',
      '--from',
      '100/s',
      '--step-duration',
      '1s',
      '--out',
      join(tmp, 'cap2.json'),
      '--junit',
      junit,
      '--csv',
      csv,
    ]);
    expect(r.code).toBe(1);
    // On an overloaded machine the step may also be flagged as generator-saturated: either way, no max.
    expect(r.stdout).toMatch(/No sustainable msg\/s found: (the SLO already failed at 100|the generator saturated at 100)/);
    // CI files: the failed search is a failing test case; the CSV holds the step's summary.
    const xml = readFileSync(junit, 'utf8');
    expect(junitProblems(xml)).toEqual([]);
    expect(xml).toMatch(/<testcase name="capacity within SLO" [^>]*>\s*<failure message="no sustainable msg\/s found: /);
    expect(xml).toContain('<testcase name="threshold endToEnd.p50&lt;0.0001ms"');
    expect(readFileSync(csv, 'utf8')).toMatch(/^broker,scenario,repeat,section,t,phase,metric,value\n[^\n]*,s2\.yaml,1,summary,,,status,complete\n/);
  });

  it('a bad --slo is a usage error', async () => {
    const r = await mqbench(['capacity', 'scenarios/fanout.yaml', '--slo', 'endToEnd.p100<5ms']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--slo: /);
  });
});
