/**
 * `mqbench plan` through the built CLI on real capacity results (test/fixtures/capacity: made with
 * `mqbench capacity` against mosquitto here), with and without an observed broker block.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PID_SOURCE } from '../../src/observe/brokerFixture.test-helper.js';
import type { BrokerResults } from '../../src/observe/types.js';
import { mqbench } from '../helpers/cli.js';

const MSG = 'test/fixtures/capacity/capacity-msg.json';
const CONN = 'test/fixtures/capacity/capacity-conn.json';
const FLEET = 'devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers';
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The message-capacity fixture as if its run had observed a single-threaded broker on a 16-CPU host. */
function observed(): string {
  const broker: BrokerResults = {
    sources: [{ ...PID_SOURCE, target: 'pid 777', readings: 10, costMs: { avg: 0.2, max: 0.3 } }],
    resources: {
      cpuCores: { avg: 0.97, max: 0.99 },
      cpuPercentOfHost: { avg: 6.06, max: 6.19 },
      maxThreadCpuCores: { avg: 0.97, max: 0.99 },
      rssBytes: { avg: 40e6, max: 41e6 },
      window: { fromT: 1, toT: 3, seconds: 3 },
    },
    costs: {
      cpuMsPer1kMessages: null,
      bytesPerConnection: { bytesPerConnection: 5_120, interceptBytes: 8e6, points: 5, r2: 0.99, fromConnections: 0, toConnections: 202 },
    },
    counters: null,
    notes: [],
  };
  const file = join(tmp, 'observed.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(MSG, 'utf8')), broker }));
  return file;
}

describe('mqbench plan (built CLI)', () => {
  it('projects the fleet from a rate and a connection capacity result: node count, binding resource, model, confidence', async () => {
    const r = await mqbench(['plan', '--fleet', FLEET, `rate=${MSG}`, `conn=${CONN}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Capacity plan: 1,000,000 devices, 1 message every 10 s each (QoS 1, 256 B), fan-in to 10 shared subscribers');
    // 500 msg/s published × 2 (in + out) = 1,000/s per node → 700 usable → ⌈200,000 / 700⌉ = 286;
    // 2,500 connections → 1,750 usable → ⌈1,000,010 / 1,750⌉ = 572.
    expect(r.stdout).toContain(
      '**Nodes needed: 572 of the measured size, at 30 % headroom — bound by connections (the connection SLO broke). Confidence: low.**',
    );
    expect(r.stdout).toContain('  nodes = ⌈200,000 / 700⌉ = 286');
    expect(r.stdout).toContain('nodes = max(messages 286, connections 572) = 572');
    expect(r.stdout).toContain('| messages | ≥ 1,000 msg/s in + out | 700 | 200,000 | 286 | the generator saturated first');
    expect(r.stdout).toMatch(/✗ connections per node 1,748: the message capacity was measured with 202/);
  });

  it('names CPU on one thread as what ran out, and judges connections by memory with --node-memory', async () => {
    const r = await mqbench(['plan', '--fleet', 'devices=20000, rate=0.01/s, size=256B, fanin=2', '--node-memory', '1GiB', '--headroom', '40%', observed()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('fleet: 200 msg/s in + 200 out = 400 msg/s through the broker');
    // memory: (1 GiB × 0.6 − 8,000,000 B) / 5,120 B = 124,266 connections per node ≥ 20,002 → 1 node
    expect(r.stdout).toContain('usable per node = (1,073,741,824 × (1 − 0.4) − 8,000,000) / 5,120 = 124,266 connections');
    expect(r.stdout).toContain('| memory | 208,152 connections | 124,266 | 20,002 | 1 | memory |');
    expect(r.stdout).toContain('The measured node: broker version not recorded on a 16-CPU host.');
    expect(r.stdout).toContain(
      '| messages | ≥ 1,000 msg/s in + out | 600 | 400 | 1 | CPU: the busiest broker thread at 0.99 cores (one core is all a single thread can use) |',
    );
    expect(r.stdout).toMatch(/memory per connection fitted over 0–202 connections, used for 20,002 per node \(×99\)/);
  });

  it('writes a self-contained HTML page with --format html', async () => {
    const out = join(tmp, 'plan.html');
    const r = await mqbench(['plan', '--fleet', FLEET, '--format', 'html', '--out', out, MSG, CONN]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Plan: 572 node(s), bound by connections (confidence low): ${out}\n`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<strong>Nodes needed: 572 of the measured size');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('refuses a bad fleet, a results file that is no capacity result, and a missing file (exit 2, no stack trace)', async () => {
    const bad = await mqbench(['plan', '--fleet', 'devices=1000000, evry=10s', MSG]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('mqbench: --fleet: fleet spec: unknown key "evry"\nhint: keys: devices, every, rate');
    const plain = join(tmp, 'plain.json');
    const { capacity: _drop, ...rest } = JSON.parse(readFileSync(MSG, 'utf8'));
    writeFileSync(plain, JSON.stringify(rest));
    const notCap = await mqbench(['plan', '--fleet', FLEET, plain]);
    expect(notCap.code).toBe(2);
    expect(notCap.stderr).toContain(`${plain} is not a capacity result`);
    const missing = await mqbench(['plan', '--fleet', FLEET, join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const headroom = await mqbench(['plan', '--fleet', FLEET, '--headroom', '100%', MSG]);
    expect(headroom.code).toBe(2);
    expect(headroom.stderr).toContain('expected a share kept free');
  });
});
