import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { mqbench } from '../helpers/cli.js';

describe('mqbench run --scale, as a user runs it', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    mosq = await startMosquitto();
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  it('checks the open-files limit on the scaled plan: 10,000 clients × 3 is refused before anything connects', async () => {
    const r = await mqbench(['run', 'scenarios/connections.yaml', '--scale', '3', '--broker', mosq.url, '--out', '/tmp/mqb-scale-refused.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /connections\.yaml:\d+:\d+ groups\[0\]\.count: scaled by --scale 3, the scenario opens 30,000 connections but one mqbench process can hold about/,
    );
    expect(r.ms).toBeLessThan(20_000);
  });

  it('says what rounding did (a group of several never becomes one) and runs with each client as written', async () => {
    const r = await mqbench(
      ['run', 'scenarios/fanin.yaml', '--scale', '0.01', '--broker', mosq.url, '--duration', '1s', '--out', '/tmp/mqb-scale-fanin.json', '--quiet'],
      { timeoutMs: 90_000 },
    );
    expect(r.stderr).toContain('mqbench: --scale 0.01: group ingest: 3 × 0.01 = 0.03 → 2 clients (rounded up: a group of several clients keeps at least 2)');
    expect([0, 3]).toContain(r.code); // ran (its full-scale thresholds may not hold at this scale)
    expect(r.stdout).toMatch(/Connections/);
  });
});
