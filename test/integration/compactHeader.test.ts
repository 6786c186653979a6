import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { runYaml } from '../helpers/runScenario.js';
import { useFaultProxy } from '../helpers/useFaultProxy.js';

/**
 * 16-byte payloads (the Open MQTT Benchmark Suite's size) carry the compact header: the figures must be
 * what the full header gives, checked against an independent witness and the fault-injecting proxy.
 */
const scenario = (url: string, o: { size: number; qos: 0 | 1; rate: string; duration?: string }) => `
name: compact
target: { url: "${url}" }
warmup: 0s
duration: ${o.duration ?? '3s'}
drain: 1500ms
groups:
  - name: devices
    count: 20
    connect: { rate: 5000/s }
    subscribe: [ { topic: "c/{run}/{i}", qos: ${o.qos} } ]
  - name: backend
    count: 2
    publish: { topic: "c/{run}/{target}", targets: devices, qos: ${o.qos}, rate: ${o.rate}, payload: { size: ${o.size} } }
`;

describe('compact header (16-byte payloads) against mosquitto', () => {
  const { mosq, proxy } = useFaultProxy();

  it('QoS 1: every 16-byte message arrives and is counted; a second client sees exactly the 16-byte compact payloads', async () => {
    const runId = `cp${Math.random().toString(16).slice(2, 6)}`;
    const seen: Buffer[] = [];
    const witness = mqtt.connect(mosq.url, { reconnectPeriod: 0 });
    await new Promise<void>((resolve) => witness.on('connect', () => witness.subscribe(`c/${runId}/#`, { qos: 1 }, () => resolve())));
    witness.on('message', (_t, payload) => seen.push(payload));
    const { results } = await runYaml(scenario(mosq.url, { size: 16, qos: 1, rate: '500/s' }), 2, { runId });
    await new Promise((r) => setTimeout(r, 300));
    witness.end();
    const m = results.summary.messages;
    expect(m.sent).toBe(1500);
    expect(m).toMatchObject({ received: 1500, expected: 1500, lost: 0, duplicated: 0, foreign: 0, unexpected: 0 });
    expect(seen.length).toBe(1500);
    expect(seen.every((p) => p.length === 16 && p[0] >> 4 === 0xb)).toBe(true);
    const e2e = results.summary.latencyMs.endToEnd;
    expect(e2e.count).toBe(1500);
    expect(e2e.min).toBeGreaterThan(0);
    expect(e2e.p50).toBeLessThan(50);
    expect(results.summary.latencyMs.endToEndUncorrected.max).toBeLessThanOrEqual(e2e.max + 0.01);
  });

  it.each([16, 64])('QoS 0, %i-byte payloads: lost, duplicated and out-of-order equal what the proxy did', async (size) => {
    proxy.setRules({ dropEvery: 37, duplicateEvery: 53, swapEvery: 41 });
    const before = proxy.counts();
    const { results } = await runYaml(scenario(proxy.url, { size, qos: 0, rate: '1000/s' }), 2);
    const after = proxy.counts();
    proxy.setRules({});
    const did = { dropped: after.dropped - before.dropped, duplicated: after.duplicated - before.duplicated, swapped: after.swapped - before.swapped };
    expect(did.dropped).toBeGreaterThan(50);
    const m = results.summary.messages;
    expect(after.publishes - before.publishes).toBe(m.sent);
    expect(m.lost).toBe(did.dropped);
    expect(m.duplicated).toBe(did.duplicated);
    expect(m.outOfOrder).toBe(did.swapped);
    expect(m.foreign).toBe(0);
    expect(results.intervals.at(-1)!.lostSoFar).toBe(did.dropped);
  });

  it('MQTT 5 request/response with 16-byte requests: the compact header comes back as correlation data and is timed', async () => {
    const { results } = await runYaml(
      `
name: reqresp16
target: { url: "${mosq.url}", mqttVersion: 5 }
duration: 2s
drain: 2s
groups:
  - name: apps
    count: 4
    subscribe: [ { topic: "resp/{run}/{clientId}", qos: 1 } ]
    publish: { topic: "req/{run}/{target}", targets: devices, qos: 1, rate: 100/s, responseTopic: "resp/{run}/{clientId}", payload: { size: 16 } }
  - name: devices
    count: 10
    respond: true
    subscribe: [ { topic: "req/{run}/{i}", qos: 1 } ]
`,
      2,
    );
    const m = results.summary.messages;
    expect(m).toMatchObject({ sent: 200, received: 200, lost: 0, responsesSent: 200, responsesReceived: 200, foreign: 0 });
    const rr = results.summary.latencyMs.requestResponse;
    expect(rr.count).toBe(200);
    expect(rr.p50).toBeGreaterThanOrEqual(results.summary.latencyMs.endToEnd.p50);
  });

  it('an injected 20 ms delivery delay moves the compact-header e2e p50 by 20 ± 1.5 ms', async () => {
    proxy.setRules({});
    const base = (await runYaml(scenario(proxy.url, { size: 16, qos: 0, rate: '200/s' }), 2)).results;
    proxy.setRules({ delayMs: 20 });
    const delayed = (await runYaml(scenario(proxy.url, { size: 16, qos: 0, rate: '200/s' }), 2)).results;
    proxy.setRules({});
    const shift = delayed.summary.latencyMs.endToEnd.p50 - base.summary.latencyMs.endToEnd.p50;
    expect(shift).toBeGreaterThanOrEqual(18.5);
    expect(shift).toBeLessThanOrEqual(21.5);
    expect(delayed.summary.messages.lost).toBe(0);
    expect(delayed.summary.latencyMs.endToEnd.count).toBe(delayed.summary.messages.received);
  });
});
