/**
 * `mqbench suite` through the built CLI against two real brokers: mosquitto, and a second mosquitto limited to
 * QoS 1 (max_qos 1), so that a QoS 2 scenario is skipped there after the probe. Tiny scenarios, bounded time.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { junitProblems } from '../../src/report/junitSchema.test-helper.js';
import { mqbench } from '../helpers/cli.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const tiny = (name: string, qos: 1 | 2) => `
name: ${name}
target: { url: embedded, mqttVersion: 3.1.1 }
warmup: 0s
duration: 1s
drain: 1s
groups:
  - name: devices
    count: 5
    clientId: "${name}-{run}-{i}"
    subscribe: [ { topic: "${name}/{run}/{i}", qos: ${qos} } ]
  - name: backend
    count: 1
    clientId: "${name}b-{run}-{i}"
    publish: { topic: "${name}/{run}/{target}", targets: devices, qos: ${qos}, rate: 50/s, payload: { size: 64 } }
thresholds:
  - "messages.lost == 0"
`;

describe('mqbench suite against two brokers', () => {
  const full = useMosquitto();
  const limited = useMosquitto(['max_qos 1']);
  const tmp = mkdtempSync(join(tmpdir(), 'mqbench-suite-'));
  const scenarios = join(tmp, 'scenarios');
  beforeAll(() => {
    mkdirSync(scenarios);
    writeFileSync(join(scenarios, 'a-fanout.yaml'), tiny('suitea', 1));
    writeFileSync(join(scenarios, 'b-exactly.yaml'), tiny('suiteb', 2));
  });

  it('runs every scenario against every broker interleaved, skips what a broker lacks, and writes the folder', async () => {
    const out = join(tmp, 'shootout');
    const junit = join(tmp, 'suite.xml');
    const r = await mqbench(
      [
        'suite',
        scenarios,
        '--broker',
        `full=${full.url}`,
        '--broker',
        `limited=${limited.url}`,
        '--repeat',
        '2',
        '--cooldown',
        '200ms',
        '--out',
        out,
        '--junit',
        junit,
      ],
      { timeoutMs: 180_000 },
    );
    if (r.code !== 0) console.error(r.stderr.slice(-3000));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipping b-exactly\.yaml on limited: the broker does not offer QoS 2/);
    const order = [...r.stdout.matchAll(/== (\S+) · (\w+) · run (\d) of 2/g)].map((m) => `${m[1]}/${m[2]}/${m[3]}`);
    expect(order).toEqual([
      'a-fanout.yaml/full/1',
      'a-fanout.yaml/limited/1',
      'b-exactly.yaml/full/1',
      'a-fanout.yaml/full/2',
      'a-fanout.yaml/limited/2',
      'b-exactly.yaml/full/2',
    ]);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'a-fanout-full-1.json',
      'a-fanout-full-2.json',
      'a-fanout-limited-1.json',
      'a-fanout-limited-2.json',
      'b-exactly-full-1.json',
      'b-exactly-full-2.json',
      'comparison.json',
      'report.html',
      'summary.md',
    ]);
    const one = JSON.parse(readFileSync(join(out, 'a-fanout-limited-1.json'), 'utf8'));
    expect(one.target.label).toBe('limited');
    expect(one.scenarioFile).toBe('a-fanout.yaml');

    const cmp = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(cmp.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual(['a-fanout.yaml', 'b-exactly.yaml']);
    expect(cmp.scenarios[0].comparison.sides).toEqual([
      { label: 'full', runs: 2 },
      { label: 'limited', runs: 2 },
    ]);
    expect(cmp.scenarios[1].skipped).toEqual([
      { scenario: 'b-exactly.yaml', broker: 'limited', reason: expect.stringMatching(/^the broker does not offer QoS 2/) },
    ]);
    expect(cmp.scenarios[1].comparison).toBeUndefined();
    expect(cmp.method).toContain('bootstrap');
    const lost = cmp.scenarios[0].comparison.rows.find((x: { label: string }) => x.label === 'lost (% of expected)');
    expect(lost.verdict).toBe('no significant difference');

    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('# mqbench suite: shootout');
    expect(md).toContain(
      '| a-fanout.yaml | 2/2 runs complete, thresholds met in 2/2, QoS promises kept | 2/2 runs complete, thresholds met in 2/2, QoS promises kept |',
    );
    expect(md).toMatch(/\| b-exactly\.yaml \| 2\/2 runs complete[^|]*\| skipped: the broker does not offer QoS 2/);
    expect(md).toContain('| figure | a: full (2 runs) | b: limited (2 runs) | b vs a | verdict |');

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Scenario a-fanout.yaml</h2>');
    expect(html).toContain('<h2>Scenario b-exactly.yaml</h2>');
    expect(html).toContain('<th>scenario</th><th>full</th><th>limited</th>');

    const xml = readFileSync(junit, 'utf8');
    expect(junitProblems(xml)).toEqual([]);
    expect([...xml.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'full / a-fanout.yaml #1',
      'limited / a-fanout.yaml #1',
      'full / b-exactly.yaml #1',
      'full / a-fanout.yaml #2',
      'limited / a-fanout.yaml #2',
      'full / b-exactly.yaml #2',
    ]);
  });

  it('Ctrl-C keeps what finished and still writes the summary, comparison and report', async () => {
    const out = join(tmp, 'stopped');
    let sent = false;
    const r = await mqbench(
      [
        'suite',
        join(scenarios, 'a-fanout.yaml'),
        '--broker',
        `full=${full.url}`,
        '--broker',
        `limited=${limited.url}`,
        '--repeat',
        '3',
        '--cooldown',
        '200ms',
        '--out',
        out,
      ],
      {
        timeoutMs: 120_000,
        onStderr: (text, kill) => {
          // Once, after the first two runs: a second Ctrl-C would quit at once.
          if (!sent && (text.match(/results written to/g) ?? []).length === 2) {
            sent = true;
            kill('SIGINT');
          }
        },
      },
    );
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/Suite interrupted: [2-3] run\(s\)/);
    expect(existsSync(join(out, 'a-fanout-full-1.json'))).toBe(true);
    expect(existsSync(join(out, 'a-fanout-limited-1.json'))).toBe(true);
    expect(existsSync(join(out, 'a-fanout-full-3.json'))).toBe(false);
    const cmp = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(cmp.interrupted).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('**Interrupted:**');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
