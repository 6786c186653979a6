import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

const willScenario = (url: string, o: { abrupt: boolean; version?: string }) => `
name: wills
target: { url: "${url}", mqttVersion: ${o.version ?? '3.1.1'} }
duration: 2s
drain: 1s
groups:
  - name: devices
    count: 10
    clientId: "wd-{run}-{i}"
    connect: { will: { topic: "will/{run}/{clientId}", payload: "gone", qos: 1 } }
    publish: { topic: "data/{run}/{i}", qos: 1, every: 200ms, payload: { size: 32 } }
  - name: watch
    count: 1
    clientId: "ww-{run}-{i}"
    subscribe: [ { topic: "will/{run}/#", qos: 1 }, { topic: "data/{run}/#", qos: 1 } ]
events:
  - at: 500ms
    disconnect: { group: devices, fraction: 0.5, abrupt: ${o.abrupt}, reconnectAfter: 200ms, jitter: 100ms }
`;

/** An independent subscriber: the will messages that crossed the broker. */
async function witness(url: string, runId: string): Promise<{ wills: string[]; end: () => void }> {
  const wills: string[] = [];
  const c = mqtt.connect(url, { reconnectPeriod: 0 });
  await new Promise<void>((resolve) => c.on('connect', () => c.subscribe(`will/${runId}/#`, { qos: 1 }, () => resolve())));
  c.on('message', (topic, payload) => wills.push(`${topic}=${payload.toString()}`));
  return { wills, end: () => c.end() };
}

describe('last wills against mosquitto', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    mosq = await startMosquitto();
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  for (const driver of ['mqttjs', 'lean'] as const) {
    it(`${driver}: an abrupt disconnect fires each dropped client's will; the ledger owes and finds exactly those`, async () => {
      const runId = `wa${Math.random().toString(16).slice(2, 6)}`;
      const w = await witness(mosq.url, runId);
      const { results } = await runYaml(willScenario(mosq.url, { abrupt: true }), 2, { runId, driver });
      await new Promise((r) => setTimeout(r, 200));
      w.end();
      expect(results.summary.connections.dropped).toBe(5);
      expect(w.wills.length).toBe(5); // ground truth: five wills crossed the broker
      for (const x of w.wills) expect(x).toMatch(new RegExp(`^will/${runId}/wd-${runId}-\\d=gone$`));
      expect(results.summary.wills).toEqual({ expected: 5, expectedQos0: 0, received: 5, missing: 0, unexpected: 0, ok: true });
      expect(results.summary.verdicts.join('\n')).toContain('Last wills: 5 deliveries owed after connections ended without DISCONNECT, 5 received: kept.');
      // Will deliveries are their own stream: not foreign, not in the data ledger.
      expect(results.summary.messages.foreign).toBe(0);
      expect(results.summary.messages.lost).toBe(0);
    });
  }

  it('a graceful disconnect fires no will, and none is owed', async () => {
    const runId = `wg${Math.random().toString(16).slice(2, 6)}`;
    const w = await witness(mosq.url, runId);
    const { results } = await runYaml(willScenario(mosq.url, { abrupt: false }), 1, { runId });
    await new Promise((r) => setTimeout(r, 200));
    w.end();
    expect(results.summary.connections.dropped).toBe(5);
    expect(w.wills).toEqual([]);
    expect(results.summary.wills).toBeUndefined(); // nothing owed, nothing received
  });
});

describe('MQTT 3.1 against mosquitto', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    mosq = await startMosquitto(['log_type notice']); // its log names each client's protocol level (p3, p4, p5)
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  for (const driver of ['mqttjs', 'lean'] as const) {
    it(`${driver}: MQTT 3.1 (MQIsdp, level 3) connects, publishes, subscribes and delivers wills`, async () => {
      const runId = `w3${Math.random().toString(16).slice(2, 6)}`;
      const { results } = await runYaml(willScenario(mosq.url, { abrupt: true, version: '"3.1"' }), 1, { runId, driver });
      // The broker's own word: every client of this run connected as MQTT 3.1 (mosquitto logs its protocol enum:
      // p1 = MQTT 3.1, p2 = 3.1.1, p5 = 5).
      const ours = mosq
        .log()
        .split('\n')
        .filter((l) => l.includes('New client connected') && l.includes(runId));
      expect(ours.length).toBeGreaterThanOrEqual(11);
      for (const l of ours) expect(l).toMatch(/\(p1, /);
      const s = results.summary;
      expect(s.connections.failed).toBe(0);
      expect(s.messages.sent).toBeGreaterThan(50);
      expect(s.messages.received).toBe(s.messages.expected);
      expect(s.messages.lost).toBe(0);
      expect(s.wills?.received).toBe(5);
    });
  }
});
