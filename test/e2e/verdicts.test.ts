/**
 * Verdicts that can fail a run. The broken promise is real and independently counted: mosquitto with
 * `max_queued_messages 10` drops what it accepted (PUBACK) for a persistent-session subscriber while that one
 * is away, and says how many in `$SYS/broker/publish/messages/dropped`. mqbench's `lost` must equal that count,
 * the run must exit 3, and --no-verdict-fail must turn the exit code to 0. A threshold with no data fails.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/metrics/types.js';
import { mqbench } from '../helpers/cli.js';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';

const OVERFLOW = (url: string) => `
name: queue-overflow
target: { url: "${url}", mqttVersion: 3.1.1 }
warmup: 0s
duration: 3s
drain: 2s
groups:
  - name: devices
    count: 1
    clientId: "qo-{run}-{i}"
    connect: { clean: false }
    subscribe: [ { topic: "qo/{run}/t", qos: 1 } ]
  - name: observer
    count: 1
    clientId: "qo-obs-{run}-{i}"
    subscribe: [ { topic: "qo/{run}/t", qos: 1 } ]
  - name: backend
    count: 1
    clientId: "qo-pub-{run}-{i}"
    publish: { topic: "qo/{run}/t", qos: 1, rate: 100/s, payload: { size: 64 } }
events:
  - at: 1s
    disconnect: { group: devices, abrupt: true, reconnectAfter: 1s, jitter: 0s }
`;

/** mosquitto's own count of PUBLISHes it dropped (queue limits), from its retained $SYS topic. */
async function brokerDropped(url: string): Promise<number> {
  const c = mqtt.connect(url, { clientId: `sys-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 0 });
  try {
    return await new Promise<number>((resolve, reject) => {
      c.once('error', reject);
      c.on('message', (_t, p) => resolve(Number(p.toString())));
      c.once('connect', () => c.subscribe('$SYS/broker/publish/messages/dropped'));
    });
  } finally {
    c.end(true);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('verdicts fail the run (exit 3) on a real broken promise', () => {
  let mosq: MosquittoHandle;
  const tmp = mkdtempSync(join(tmpdir(), 'mqbench-verdicts-'));
  beforeAll(async () => {
    mosq = await startMosquitto(['max_queued_messages 10', 'sys_interval 1', 'log_type notice']);
  });
  afterAll(async () => {
    await mosq?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the overflow scenario; returns the exit code, the results and what the broker says it dropped meanwhile. */
  async function overflowRun(name: string, extra: string[]) {
    const file = join(tmp, `${name}.yaml`);
    const out = join(tmp, `${name}.json`);
    writeFileSync(file, OVERFLOW(mosq.url));
    await sleep(1200); // $SYS is published every second: let the previous figure settle
    const before = await brokerDropped(mosq.url);
    const r = await mqbench(['run', file, '--out', out, '--quiet', '--workers', '1', ...extra], { timeoutMs: 60_000 });
    await sleep(1200);
    const dropped = (await brokerDropped(mosq.url)) - before;
    return { r, results: JSON.parse(readFileSync(out, 'utf8')) as Results, dropped };
  }

  it("mosquitto drops queued QoS 1 messages of an away persistent session: lost = the broker's dropped count, exit 3", async () => {
    const { r, results, dropped } = await overflowRun('broken', []);
    const m = results.summary.messages;
    expect(dropped).toBeGreaterThan(50); // ~100 messages sent while away, 10 queued
    expect(m.lost).toBe(dropped);
    expect(m.sent).toBe(m.acked); // the broker accepted every message it then dropped
    expect(results.summary.byQos['1']).toMatchObject({ ok: false, lost: dropped });
    expect(mosq.log()).toMatch(/Outgoing messages are being dropped for client qo-/);
    // The drops happened while the subscriber was away, behind what it received after it came back: proven
    // loss, all but those intended in the second it came back (the split's granularity is one intended second).
    expect(m.lostAtTail).toBeLessThanOrEqual(5);
    expect(r.stderr).toContain(`mqbench: delivery promise broken: QoS 1: ${dropped} lost, no duplicates — at-least-once broken`);
    expect(r.stderr).toContain('(exit 3; --no-verdict-fail to report without failing)');
    expect(r.stderr).toContain(
      m.lostAtTail === 0 ? 'broken (exit 3;' : `broken (${m.lostAtTail} of all ${dropped} lost may have been still queued when the drain ended) (exit 3;`,
    );
    expect(r.code).toBe(3);
  });

  it('--no-verdict-fail reports the same broken promise and exits 0', async () => {
    const { r, results, dropped } = await overflowRun('reported', ['--no-verdict-fail']);
    expect(dropped).toBeGreaterThan(50);
    expect(results.summary.messages.lost).toBe(dropped);
    expect(results.summary.verdicts[0]).toMatch(new RegExp(`^QoS 1: ${dropped} lost, no duplicates — at-least-once broken( \\(|$)`));
    expect(results.summary.messages.lostAtTail).toBeLessThanOrEqual(5);
    expect(r.stdout).toMatch(/at least once: BROKEN/);
    expect(r.stderr).not.toMatch(/delivery promise broken/);
    expect(r.code).toBe(0);
  });

  it('"messages.lost == 0" with no subscription in place fails with "no data" (exit 3), not a pass', async () => {
    const file = join(tmp, 'nodata.yaml');
    const out = join(tmp, 'nodata.json');
    writeFileSync(
      file,
      `
name: no-subscriber
target: { url: "${mosq.url}", mqttVersion: 3.1.1 }
warmup: 0s
duration: 1s
drain: 1s
groups:
  - name: backend
    count: 1
    publish: { topic: "nobody/listens", qos: 1, rate: 50/s, payload: { size: 64 } }
thresholds:
  - "messages.lost == 0"
`,
    );
    const r = await mqbench(['run', file, '--out', out, '--quiet', '--workers', '1'], { timeoutMs: 30_000 });
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.summary.messages.sent).toBeGreaterThan(0);
    expect(results.summary.messages.expected).toBe(0);
    expect(results.thresholds).toEqual([
      { expression: 'messages.lost == 0', actual: 0, ok: false, note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)' },
    ]);
    expect(r.stdout).toMatch(/messages\.lost == 0 +│ +no data: nothing was expected/);
    expect(r.code).toBe(3);
  });
});
