import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { freePort } from '../helpers/mosquitto.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const STACK = /\n\s+at .+\(.*:\d+:\d+\)/;
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-doctor-'));

/** The line of check `what`, e.g. "ok    retain: …". */
function line(stdout: string, what: string): string {
  return stdout.split('\n').find((l) => l.slice(6).startsWith(`${what}: `)) ?? `(no "${what}" line in:\n${stdout})`;
}

describe('mqbench doctor (built CLI)', () => {
  const mosq = useMosquitto();
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('against mosquitto: reachable, MQTT 3.1.1 and 5, QoS 2, retain, $share, version; exit 0', async () => {
    const r = await mqbench(['doctor', '--broker', mosq.url, '--connections', '100'], { timeoutMs: 30_000 });
    const { stdout } = r;
    expect(r.stderr).not.toMatch(STACK);
    expect(line(stdout, 'broker reachable')).toMatch(new RegExp(`^ok {4}broker reachable: 127\\.0\\.0\\.1:${mosq.port} accepts TCP connections`));
    expect(line(stdout, 'MQTT 3.1.1')).toBe('ok    MQTT 3.1.1: connect accepted');
    expect(line(stdout, 'MQTT 5')).toBe('ok    MQTT 5: connect accepted');
    expect(line(stdout, 'max QoS')).toMatch(/^ok {4}max QoS: subscribe at QoS 2 → granted QoS 2; CONNACK Maximum QoS not read/);
    expect(line(stdout, 'retain')).toMatch(/^ok {4}retain: retained message delivered .* with the retain flag; test message cleared$/);
    expect(line(stdout, 'retain to wildcards')).toMatch(
      /^ok {4}retain to wildcards: retained message delivered to a new subscription to mqbench-doctor-[0-9a-f]+\/retain-w\/\+ with the retain flag; test message cleared$/,
    );
    expect(line(stdout, 'shared subscriptions')).toMatch(
      /^ok {4}shared subscriptions: \$share\/doctor\/mqbench-doctor-[0-9a-f]+\/t: 10 messages, each delivered exactly once across 2 subscribers \(\d+ \+ \d+\)$/,
    );
    expect(line(stdout, 'broker version')).toBe('ok    broker version: mosquitto version 2.0.11 ($SYS/broker/version)');
    // The test broker sets set_tcp_nodelay true; on a busy machine the hint may still say "slow", never Nagle.
    expect(line(stdout, 'TCP_NODELAY')).toMatch(/publish→receive median [\d.]+ ms over 20 QoS 0 messages \(loopback\)/);
    expect(line(stdout, 'TCP_NODELAY')).not.toMatch(/Nagle's algorithm: set/);
    for (const what of ['open files', 'ephemeral ports', 'net.core.somaxconn', 'memory', 'CPU']) expect(line(stdout, what)).toMatch(/^(ok|WARN) {2}/);
    expect(stdout).toMatch(/^doctor: \d+ ok, \d+ WARN, 0 FAIL: /m);
    expect(r.code).toBe(0);
  });

  it('a closed port: FAIL reachability, no further probes, exit 1 within seconds', async () => {
    const port = await freePort();
    const r = await mqbench(['doctor', '--broker', `mqtt://127.0.0.1:${port}`], { timeoutMs: 20_000 });
    expect(line(r.stdout, 'broker reachable')).toBe(`FAIL  broker reachable: 127.0.0.1:${port}: ECONNREFUSED`);
    expect(r.stdout).not.toMatch(/MQTT 5:/);
    expect(r.stdout).toMatch(/^doctor: .* 1 FAIL: fix the FAIL lines before a run$/m);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('--connections 50000 against a 20,000 open-files limit: a problem line with the ulimit -n fix', async () => {
    const r = await mqbench(['doctor', '--connections', '50000'], { timeoutMs: 20_000 });
    expect(r.stderr).not.toMatch(STACK);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => /^(FAIL|WARN) {2}open files: 50,000 planned connections need ~50,100 open files/.test(l));
    expect(at, r.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe('      fix: ulimit -n 50100');
    expect(r.stdout).toMatch(/past ~19,900 per process use several processes or machines/);
    expect(r.stdout).toMatch(/fix: sysctl -w net\.ipv4\.ip_local_port_range="1024 65535"/);
    expect(r.stdout).toMatch(/broker: not checked/);
    expect(r.code).toBe(lines[at].startsWith('FAIL') ? 1 : 0);
  });

  it('reads the planned load, target and needs from --scenario', async () => {
    const file = join(tmp, 'shared.yaml');
    writeFileSync(
      file,
      `
name: doctor-shared
target: { url: "${mosq.url}", mqttVersion: 5 }
duration: 1s
groups:
  - name: workers
    count: 30
    subscribe: [ { topic: "$share/w/jobs/#", qos: 2 } ]
  - name: producer
    count: 1
    publish: { topic: "jobs/{i}", qos: 2, rate: 10/s, payload: { size: 64 } }
`,
    );
    const r = await mqbench(['doctor', '--scenario', file], { timeoutMs: 30_000 });
    expect(r.stdout).toMatch(/^mqbench doctor: 31 connections \(scenario doctor-shared\)/);
    expect(line(r.stdout, 'open files')).toMatch(/room for 31 planned connections/);
    expect(line(r.stdout, 'shared subscriptions')).toMatch(/^ok /);
    expect(r.code).toBe(0);
  });

  it('usage errors exit 2', async () => {
    expect((await mqbench(['doctor', '--connections', '0'])).code).toBe(2);
    expect((await mqbench(['doctor', '--broker', 'localhost:1883'])).code).toBe(2);
    expect((await mqbench(['doctor', '--scenario', join(tmp, 'missing.yaml')])).code).toBe(2);
  });
});

describe('mqbench doctor: a broker without TCP no-delay', () => {
  const mosq = useMosquitto(['set_tcp_nodelay false']); // the later line wins

  it("warns that the latency looks like Nagle's algorithm, with the mosquitto.conf setting", async () => {
    const r = await mqbench(['doctor', '--broker', mosq.url], { timeoutMs: 30_000 });
    expect(line(r.stdout, 'TCP_NODELAY')).toMatch(
      /^WARN {2}TCP_NODELAY: publish→receive median [\d.]+ ms .*: looks like Nagle's algorithm: set set_tcp_nodelay true in mosquitto\.conf$/,
    );
    expect(r.code).toBe(0);
  });
});
