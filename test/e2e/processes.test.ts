/**
 * `mqbench run --processes N`: N local segment processes, merged in-process into one results file, printed
 * as a normal run. Against a real mosquitto: the merged counts are the scenario's, nothing is lost, exit 0;
 * Ctrl-C still merges what the processes wrote (partial, exit 130); usage mistakes exit 2.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { freePort } from '../helpers/mosquitto.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-processes-e2e-'));
const STACK = /\n\s+at .+\(.*:\d+:\d+\)/;
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const scenarioYaml = (url: string, duration = '2s') => `
name: processes-e2e
target: { url: "${url}", mqttVersion: 3.1.1 }
warmup: 500ms
duration: ${duration}
drain: 2s
groups:
  - name: devices
    count: 40
    clientId: "pdev-{run}-{i}"
    connect: { rate: 1000/s }
    subscribe: [ { topic: "proc/{run}/cmd/{i}", qos: 1 } ]
  - name: backend
    count: 2
    clientId: "pback-{run}-{i}"
    publish: { topic: "proc/{run}/cmd/{target}", targets: devices, qos: 1, rate: 200/s, payload: { size: 64 } }
thresholds:
  - "messages.lost == 0"
`;

describe('mqbench run --processes', () => {
  const mosq = useMosquitto();

  it("2 processes: one merged result with the whole scenario's counts, nothing lost, exit 0", async () => {
    const file = join(tmp, 'ok.yaml');
    writeFileSync(file, scenarioYaml(mosq.url));
    const out = join(tmp, 'ok.json');
    const r = await mqbench(['run', file, '--processes', '2', '--out', out], { timeoutMs: 90_000 });
    expect(r.stderr, r.stderr).not.toMatch(STACK);
    expect(r.code, r.stderr).toBe(0);
    const dir = /segment results in (\S+)/.exec(r.stderr)?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir!), 'the temporary folder is removed after a full merge').toBe(false);
    expect(r.stderr).toMatch(/\[0\/2\] .*20 clients|\[0\/2\] .*21 clients/);
    expect(r.stderr).toContain(`results of 2 of 2 processes merged and written to ${out}`);
    expect(r.stdout).toMatch(/processes-e2e → mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toContain('messages.lost == 0');
    const m = read(out);
    expect(m.status).toBe('complete');
    expect(m.merged.segments.map((s: { index: number }) => s.index)).toEqual([0, 1]);
    expect(m.merged.missing).toEqual([]);
    expect(m.summary.connections).toMatchObject({ attempted: 42, succeeded: 42, failed: 0 });
    const msgs = m.summary.messages;
    // The summary counts the measured window (warm-up excluded): 200/s for 2 s = 400 sends, each to one device.
    expect(msgs.sent).toBe(400);
    expect(msgs.expected).toBe(400);
    expect(msgs.received).toBe(400);
    expect(msgs.lost).toBe(0);
    expect(msgs.duplicated).toBe(0);
    expect(m.thresholds).toEqual([expect.objectContaining({ expression: 'messages.lost == 0', ok: true })]);
  });

  it('--start-delay: the processes get one fixed --start-at instead of the start barrier', async () => {
    const file = join(tmp, 'delay.yaml');
    writeFileSync(file, scenarioYaml(mosq.url, '1s'));
    const out = join(tmp, 'delay.json');
    const r = await mqbench(['run', file, '--processes', '2', '--start-delay', '8s', '--out', out, '--quiet'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const at = /mqbench: 2 processes, run \S+: publishing starts at (\S+);/.exec(r.stderr)?.[1];
    expect(at).toBeDefined();
    expect(r.stderr).toContain(`[1/2] mqbench: segment 1/2 of run`);
    expect(r.stderr).toContain(`publishing starts at ${at}`);
    const m = read(out);
    expect(m.merged.segments.map((s: { startAt: string }) => s.startAt)).toEqual([at, at]);
    expect(m.summary.messages.lost).toBe(0);
  });

  it('Ctrl-C: forwarded once to every process, what they wrote is merged (partial), exit 130', async () => {
    const file = join(tmp, 'long.yaml');
    writeFileSync(file, scenarioYaml(mosq.url, '60s'));
    const out = join(tmp, 'long.json');
    let armed = false;
    const r = await mqbench(['run', file, '--processes', '2', '--out', out], {
      timeoutMs: 90_000,
      onStderr: (text, kill) => {
        const at = /publishing starts at (\S+)/.exec(text)?.[1];
        if (!at || armed) return;
        armed = true;
        setTimeout(() => kill('SIGINT'), Math.max(0, Date.parse(at) - Date.now()) + 2000);
      },
    });
    expect(r.stderr, r.stderr).not.toMatch(STACK);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping 2 processes/);
    const m = read(out);
    expect(m.status).toBe('partial');
    expect(m.merged.segments).toHaveLength(2);
    expect(m.summary.messages.sent).toBeGreaterThan(0);
    expect(r.ms).toBeLessThan(40_000);
  });

  it('usage: embedded, --segment and fewer clients than processes exit 2', async () => {
    const file = join(tmp, 'usage.yaml');
    writeFileSync(file, scenarioYaml('embedded'));
    const embedded = await mqbench(['run', file, '--processes', '2']);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain('--processes needs a real broker');
    const seg = await mqbench(['run', file, '--processes', '2', '--segment', '0/2', '--run-id', 'x1', '--broker', mosq.url]);
    expect(seg.code).toBe(2);
    expect(seg.stderr).toContain('--processes and --segment exclude each other');
    const few = await mqbench(['run', file, '--processes', '50', '--broker', mosq.url]);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/process \d+ would have no clients/);
  });

  it("the open-files check counts one process's share: too many for one, fine for --processes", async () => {
    const file = join(tmp, 'big.yaml');
    writeFileSync(file, 'name: big\ngroups:\n  - { name: idle, count: 30000, clientId: "b-{i}" }\n');
    const port = await freePort();
    const one = await mqbench(['run', file, '--broker', `mqtt://127.0.0.1:${port}`]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/run it as 2 or more processes \(--processes N/);
    expect((await mqbench(['validate', file])).code).toBe(2);
    expect((await mqbench(['validate', file, '--processes', '2'])).code).toBe(0);
    const two = await mqbench(['run', file, '--processes', '2', '--broker', `mqtt://127.0.0.1:${port}`]);
    expect(two.code, two.stderr).toBe(1);
    expect(two.stderr).toMatch(/cannot reach the broker at mqtt:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});
