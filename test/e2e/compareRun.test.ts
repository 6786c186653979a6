import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { junitProblems } from '../../src/report/junitSchema.test-helper.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { fanoutYaml } from '../helpers/scenario.js';

describe('mqbench run with several brokers: interleaved repeats, medians side by side', () => {
  let mosq: MosquittoHandle;
  const tmp = mkdtempSync(join(tmpdir(), 'mqbench-cmp-'));
  beforeAll(async () => {
    mosq = await startMosquitto();
    writeFileSync(join(tmp, 's.yaml'), fanoutYaml({ url: 'embedded', devices: 10, rate: '100/s', duration: '1s', warmup: '0s' }));
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  it.each([false, true])('mosquitto vs embedded aedes, --repeat 3 (markdown: %s)', async (markdown) => {
    const dir = join(tmp, markdown ? 'md' : 'term');
    const junit = join(tmp, `${markdown ? 'md' : 'term'}.xml`);
    const csv = join(tmp, `${markdown ? 'md' : 'term'}.csv`);
    const r = await mqbench(
      [
        'run',
        join(tmp, 's.yaml'),
        '--broker',
        `mosquitto=${mosq.url}`,
        '--broker',
        'aedes=embedded',
        '--repeat',
        '3',
        '--out',
        dir,
        '--junit',
        junit,
        '--csv',
        csv,
        ...(markdown ? ['--markdown'] : []),
      ],
      { timeoutMs: 120_000 },
    );
    if (r.code !== 0) console.error(r.stderr.slice(-2000));
    expect(r.code).toBe(0);
    // Interleaved: A B A B A B.
    const order = [...r.stdout.matchAll(/== run (\d) of 3 against (\w+)/g)].map((m) => `${m[2]}${m[1]}`);
    expect(order).toEqual(['mosquitto1', 'aedes1', 'mosquitto2', 'aedes2', 'mosquitto3', 'aedes3']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(6);
    // Every run delivered everything: the medians and spreads of sent and received agree.
    const row = (name: string) => r.stdout.split('\n').find((l) => l.includes(name)) ?? '';
    expect(row('a: mosquitto (3 runs)')).toBeTruthy();
    expect(row('lost (% of expected)')).toMatch(/0 % \[0 %–0 %\].*0 % \[0 %–0 %\]/);
    expect(row('messages received')).toMatch(/100 \[100–100\].*100 \[100–100\]/);
    expect(row('end-to-end p99 (ms)')).toMatch(/(mosquitto better|aedes better|no significant difference)\s*[│|]?\s*$/);
    expect(r.stdout).toContain('bootstrap percentile interval');
    // Every run in the CI files: a JUnit suite per run, CSV rows labelled by broker.
    const xml = readFileSync(junit, 'utf8');
    expect(junitProblems(xml)).toEqual([]);
    expect([...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'mosquitto / s.yaml #1',
      'mosquitto / s.yaml #2',
      'mosquitto / s.yaml #3',
      'aedes / s.yaml #1',
      'aedes / s.yaml #2',
      'aedes / s.yaml #3',
    ]);
    const lines = readFileSync(csv, 'utf8').split('\n');
    expect(lines).toContain('aedes,s.yaml,3,summary,,,status,complete');
    expect(lines.some((l) => l.startsWith('mosquitto,s.yaml,2,second,'))).toBe(true);
    if (markdown) {
      expect(r.stdout).toMatch(/^\| figure \| a: mosquitto \(3 runs\) \| b: aedes \(3 runs\) \| b vs a \| verdict \|$/m);
      expect(r.stdout).toMatch(/^\| :--- \| ---: \| ---: \| ---: \| ---: \|$/m);
    } else {
      expect(r.stdout).toMatch(/┌/);
    }
  });
});
