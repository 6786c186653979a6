import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { freePort } from '../helpers/mosquitto.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { fanoutYaml } from '../helpers/scenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-e2e-'));
const STACK = /\n\s+at .+\(.*:\d+:\d+\)/;

/** Every field DESIGN.md §6 promises. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the results file as read from disk, untyped: this checks the contract itself
function expectResultsContract(r: Record<string, any>) {
  expect(r.schemaVersion).toBe(1);
  expect(['complete', 'partial', 'failed']).toContain(r.status);
  expect(r.scenario.name).toBeTypeOf('string');
  expect(r.target.url).toBeTypeOf('string');
  expect(Number.isNaN(Date.parse(r.startedAt))).toBe(false);
  expect(r.durationSec).toBeTypeOf('number');
  const s = r.summary;
  for (const k of ['attempted', 'succeeded', 'failed']) expect(s.connections[k]).toBeTypeOf('number');
  for (const k of ['sent', 'acked', 'received', 'expected', 'lost', 'duplicated', 'outOfOrder']) expect(Number.isInteger(s.messages[k])).toBe(true);
  for (const k of ['sentPerSec', 'receivedPerSec']) expect(s.throughput[k]).toBeTypeOf('number');
  for (const h of ['connect', 'publishAck', 'endToEnd', 'endToEndUncorrected']) {
    for (const k of ['count', 'min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max']) expect(s.latencyMs[h][k]).toBeTypeOf('number');
    expect(r.histograms[h]).toMatch(/^[A-Za-z0-9+/=]+$/);
  }
  expect(Array.isArray(r.intervals)).toBe(true);
  for (const row of r.intervals) for (const k of ['t', 'sent', 'received']) expect(row[k]).toBeTypeOf('number');
  expect(r.generator.workers).toBeGreaterThanOrEqual(1);
  expect(r.generator.maxEventLoopDelayMs).toBeTypeOf('number');
  expect(r.generator.saturated).toBeTypeOf('boolean');
}

/** fanout.yaml checks one threshold, "messages.lost == 0": it must hold, and the run exits 0. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the results file as read from disk, untyped
function expectFanoutPassed(code: number | null, json: Record<string, any>) {
  expect(json.thresholds).toEqual([{ expression: 'messages.lost == 0', actual: 0, ok: true }]);
  expect(code).toBe(0);
}

describe('mqbench CLI (built, spawned as a user would)', () => {
  const mosq = useMosquitto();

  it('runs scenarios/fanout.yaml against mosquitto: table, full JSON, nothing lost, exit 0', async () => {
    const out = join(tmp, 'r.json');
    const r = await mqbench(['run', 'scenarios/fanout.yaml', '--broker', mosq.url, '--duration', '2s', '--out', out]);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toMatch(/end-to-end \(from intended send\)/);
    expect(r.stdout).toMatch(/Delivery: all [\d,]+ expected messages received, no duplicates/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expectFanoutPassed(r.code, json);
    expectResultsContract(json);
    expect(json.status).toBe('complete');
    expect(json.target).toMatchObject({ url: mosq.url, embedded: false });
    expect(json.target.brokerVersion).toMatch(/^mosquitto version 2\./); // from $SYS/broker/version
    expect(json.environment.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.summary.connections.succeeded).toBe(1001);
    expect(json.summary.messages.received).toBe(json.summary.messages.expected);
    expect(json.summary.messages.expected).toBeGreaterThan(3900);
    expect(json.summary.messages.lost).toBe(0);
  });

  it('without --broker runs on the embedded broker and says so', async () => {
    const out = join(tmp, 'embedded.json');
    const r = await mqbench(['run', 'scenarios/fanout.yaml', '--duration', '1s', '--out', out, '--quiet']);
    expect(r.stderr).toMatch(/embedded aedes broker/);
    expect(r.stdout).toMatch(/WARNING: these numbers measure the embedded aedes broker/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expectFanoutPassed(r.code, json);
    expect(json.target.embedded).toBe(true);
    expect(json.target.brokerVersion).toMatch(/^aedes \d+\.\d+\.\d+ \(embedded\)$/);
    expect(json.summary.messages.lost).toBe(0);
    expect(json.summary.messages.received).toBe(json.summary.messages.expected);
  });

  it('validate reports three unknown keys as three positioned lines, exit 2, no stack trace', async () => {
    const r = await mqbench(['validate', 'src/scenario/fixtures/unknown-keys.yaml']);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => /^src\/scenario\/fixtures\/unknown-keys\.yaml:\d+:\d+ /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/:2:1 duraton: unknown key \(hint: did you mean "duration"\?\)/);
    expect(lines[1]).toMatch(/:6:5 groups\[0\]\.conect: unknown key/);
    expect(lines[2]).toMatch(/:10:9 groups\[0\]\.subscribe\[0\]\.qso: unknown key/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('validate accepts the shipped scenario', async () => {
    const r = await mqbench(['validate', 'scenarios/fanout.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid/);
  });

  it('a broker that is not listening: clear error, exit 1, within seconds', async () => {
    const port = await freePort();
    const r = await mqbench(['run', 'scenarios/fanout.yaml', '--broker', `mqtt://user:s3cr3t-pw@127.0.0.1:${port}`, '--out', join(tmp, 'none.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`cannot reach the broker at mqtt://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    expect(r.stderr).not.toContain('s3cr3t-pw');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.ms).toBeLessThan(10_000);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s mid-run: partial results written, exit 130', async (signal) => {
    const scenario = join(tmp, `long-${signal}.yaml`);
    writeFileSync(scenario, fanoutYaml({ url: mosq.url, duration: '30s', devices: 50, rate: '200/s' }));
    const out = join(tmp, `partial-${signal}.json`);
    let sent = false;
    const r = await mqbench(['run', scenario, '--out', out, '--quiet'], {
      onStderr: (text, kill) => {
        // Interrupt once publishing has been going for a moment.
        if (!sent && /measure\]/.test(text)) {
          sent = true;
          setTimeout(() => kill(signal), 1500);
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(existsSync(out)).toBe(true);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expectResultsContract(json);
    expect(json.status).toBe('partial');
    expect(json.statusReason).toMatch(/interrupted/);
    expect(json.summary.messages.sent).toBeGreaterThan(0);
    expect(json.durationSec).toBeLessThan(10);
  });

  it('usage errors exit 2; --help shows an example per command', async () => {
    expect((await mqbench(['run', 'scenarios/fanout.yaml', '--workers', 'lots'])).code).toBe(2);
    expect((await mqbench(['run', 'scenarios/fanout.yaml', '--broker', 'http://x'])).code).toBe(2);
    expect((await mqbench(['frobnicate'])).code).toBe(2);
    const run = await mqbench(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\$ mqbench run scenarios\/fanout\.yaml/);
    const validate = await mqbench(['validate', '--help']);
    expect(validate.stdout).toMatch(/\$ mqbench validate /);
  });
});
