/**
 * The Open MQTT Benchmark Suite pack through the built CLI: every file validates (the Enterprise ones split as
 * their comment says), a Basic case runs against mosquitto at small scale with its 16-byte payloads, and
 * `report --format mqttbs` prints the suite's table from the results it wrote.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const DIR = 'scenarios/mqttbs';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-mqttbs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scenarios/mqttbs', () => {
  it("holds the suite's Basic and Enterprise cases", () => {
    expect(files).toEqual([
      'singlenode-conn-tcp-10K-100.yaml',
      'singlenode-conn-tcp-1M-5K.yaml',
      'singlenode-fanout-1-1000-1-1000K.yaml',
      'singlenode-fanout-5-1000-5-250K.yaml',
      'singlenode-p2p-1K-1K-1K-1K.yaml',
      'singlenode-p2p-50K-50K-50K-50K.yaml',
      'singlenode-sharesub-1K-5-1K-1K.yaml',
      'singlenode-sharesub-50K-500-50K-50K.yaml',
    ]);
  });

  it.each(files)('%s passes mqbench validate (with the --processes its comment gives, if any)', async (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const split = /mqbench validate \S+ --processes (\d+)/.exec(text)?.[1];
    const r = await mqbench(['validate', join(DIR, file), ...(split ? ['--processes', split] : [])]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The suite's common settings, as run.
    expect(text).toMatch(/keepalive: 300s/);
    expect(text).toMatch(/clean: true/);
    expect(text).toMatch(/duration: 30m/);
    expect(text).toMatch(/--duration 60s/);
    if (/publish:/.test(text)) expect(text).toMatch(/qos: 1, retain: false, every: \S+, payload: \{ size: 16 \}/);
    expect(text).toMatch(/sharesub/.test(file) ? /mqttVersion: 5\n/ : /mqttVersion: 3\.1\.1\n/);
  });
});

describe('a Basic case against mosquitto, then report --format mqttbs', () => {
  const mosq = useMosquitto();

  it('singlenode-sharesub-1K-5-1K-1K at 5 % for 3 s: 16-byte messages all delivered once; the table shows its figures', async () => {
    const out = join(tmp, 'sharesub.json');
    const run = await mqbench([
      'run',
      `${DIR}/singlenode-sharesub-1K-5-1K-1K.yaml`,
      '--broker',
      mosq.url,
      '--scale',
      '0.05',
      '--duration',
      '3s',
      '--out',
      out,
      '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    const m = results.summary.messages;
    expect(m.sent).toBe(150); // 50 publishers × 1 msg/s × 3 s
    expect(m).toMatchObject({ expected: 150, received: 150, lost: 0, duplicated: 0, foreign: 0 });
    const report = await mqbench(['report', '--format', 'mqttbs', `mosquitto=${out}`]);
    expect(report.code, report.stderr).toBe(0);
    const e2e = results.summary.latencyMs.endToEnd;
    const row = report.stdout.split('\n').find((l) => l.startsWith('| **mosquitto** |'))!;
    expect(row).toBeDefined();
    const cells = row.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, ''));
    expect(cells[1]).toBe('50.0/s (planned 50.0/s)');
    expect(Number(cells[2])).toBeCloseTo(e2e.mean, e2e.mean < 1 ? 3 : e2e.mean < 10 ? 2 : 1);
    expect(Number(cells[3].replace(/,/g, ''))).toBeCloseTo(e2e.p99, e2e.p99 < 1 ? 3 : e2e.p99 < 10 ? 2 : 0);
    expect(cells.slice(5)).toEqual(['not measured', 'not measured', 'not measured', 'not measured']);
    expect(report.stdout).toContain('## singlenode-sharesub-1K-5-1K-1K');
    expect(report.stdout).toContain(
      '| MQTT settings | MQTT 5.0 · keepalive 300 s · clean session 1 · subscribe QoS 1 · publish QoS 1 · retain 0 · payload 16 B · TLS no |',
    );
    expect(report.stdout).toMatch(/\| Broker version \| mosquitto version \d/);
  });
});
