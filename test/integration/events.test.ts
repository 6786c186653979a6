import { describe, expect, it } from 'vitest';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

const storm = (url: string, o: { clean: boolean; qos: number; abrupt: boolean; version?: string }) => `
name: storm
target: { url: "${url}", mqttVersion: ${o.version ?? '3.1.1'} }
duration: 4s
drain: 3s
groups:
  - name: devices
    count: 40
    clientId: "st-{run}-{i}"
    connect: { rate: 5000/s, clean: ${o.clean} }
    subscribe: [ { topic: "st/{run}/{i}", qos: ${o.qos} } ]
  - name: backend
    count: 1
    publish: { topic: "st/{run}/{target}", targets: devices, qos: ${o.qos}, rate: 400/s, payload: { size: 64 } }
events:
  - at: 1s
    disconnect: { group: devices, fraction: 0.5, abrupt: ${o.abrupt}, reconnectAfter: 300ms, jitter: 700ms }
  - at: 2500ms
    pause: { group: backend }
  - at: 3s
    resume: { group: backend }
`;

describe('events against mosquitto', () => {
  const mosq = useMosquitto();

  it('reconnect storm with persistent sessions at QoS 1: half the devices drop abruptly, all come back, nothing is lost', async () => {
    const { results } = await runYaml(storm(mosq.url, { clean: false, qos: 1, abrupt: true }), 2);
    const c = results.summary.connections;
    expect(c.dropped).toBe(20);
    expect(c.droppedBack).toBe(20);
    expect(results.summary.latencyMs.reconnect.count).toBe(20);
    expect(results.summary.latencyMs.reconnect.min).toBeGreaterThanOrEqual(300);
    const m = results.summary.messages;
    // The broker queued for the absent persistent sessions and delivered after they came back.
    expect(m.lost).toBe(0);
    expect(results.summary.byQos['1']?.ok).toBe(true);
    expect(results.status).toBe('complete');
    // Publishing paused for 0.5 s of the 4 s: 3.5 s × 400/s were sent.
    expect(Math.abs(m.sent - 1400)).toBeLessThanOrEqual(10); // the pause's edges are timers (±1 ms ≈ ±1 slot each, plus loop delay)
  });

  it('clean sessions that drop gracefully are not expected to receive while away', async () => {
    const { results } = await runYaml(storm(mosq.url, { clean: true, qos: 1, abrupt: false }), 2);
    const c = results.summary.connections;
    expect(c.dropped).toBe(20);
    expect(c.droppedBack).toBe(20);
    const m = results.summary.messages;
    // Messages to absent clean-session devices are not expected: fewer expected than sent.
    expect(m.expected).toBeLessThan(m.sent);
    expect(m.lost).toBe(0);
  });
});

describe('late subscribers and retained messages against mosquitto', () => {
  const mosq = useMosquitto();

  it('late subscribers get one retained message per sensor topic, then the live stream; an unsubscribe stops it', async () => {
    const yaml = `
name: retained
target: { url: "${mosq.url}" }
duration: 4s
drain: 2s
groups:
  - name: sensors
    count: 25
    connect: { rate: 5000/s }
    publish: { topic: "state/{run}/{i}", qos: 1, retain: true, every: 500ms, payload: { size: 64 } }
  - name: dashboards
    count: 4
    connect: { rate: 5000/s }
    subscribe: [ { topic: "state/{run}/#", qos: 1, at: 1500ms, until: 3500ms } ]
`;
    const { results } = await runYaml(yaml, 2);
    const m = results.summary.messages;
    // 4 dashboards × 25 sensor topics, each already holding a retained message at 1.5 s.
    expect(m.retainedExpected).toBe(100);
    expect(m.retainedReceived).toBe(100);
    expect(results.summary.verdicts).toContain('Retained: all 100 retained messages reached the late subscriptions');
    // Live delivery only while subscribed (1.5 s .. 3.5 s): 50 msg/s × 2 s × 4 dashboards ≈ 400, none lost.
    expect(m.expected).toBeGreaterThan(300);
    expect(m.expected).toBeLessThan(500);
    expect(m.lost).toBe(0);
    expect(m.received - m.duplicated).toBe(m.expected); // QoS 1 may duplicate
  });
});

describe('MQTT 5 persistent sessions', () => {
  const mosq = useMosquitto();

  it.each(['mqttjs', 'lean'])('%s: clean: false on MQTT 5 sends a session expiry, so an abrupt drop loses nothing at QoS 1', async (driver) => {
    const { results } = await runYaml(storm(mosq.url, { clean: false, qos: 1, abrupt: true, version: '5' }), 2, { driver });
    expect(results.summary.connections.dropped).toBe(20);
    expect(results.summary.connections.droppedBack).toBe(20);
    expect(results.summary.messages.lost).toBe(0);
    expect(results.summary.messages.publishErrors).toBe(0);
  });
});
