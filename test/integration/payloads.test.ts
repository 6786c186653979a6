import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

describe('payload templates and MQTT 5 publish features against mosquitto', () => {
  const mosq = useMosquitto();

  it.each(['lean', 'mqttjs'])(
    '%s: JSON payloads with generated fields, message expiry, user properties and topic aliases arrive intact and checked',
    async (driver) => {
      const runId = `pl${Math.random().toString(16).slice(2, 6)}`;
      // An independent MQTT 5 subscriber looks at what actually crossed the broker.
      const seen: { json: Record<string, unknown>; props: Record<string, unknown> }[] = [];
      const witness = mqtt.connect(mosq.url, { protocolVersion: 5, reconnectPeriod: 0 });
      await new Promise<void>((resolve) => witness.on('connect', () => witness.subscribe(`pl/${runId}/#`, { qos: 1 }, () => resolve())));
      witness.on('message', (_t, payload, packet) => seen.push({ json: JSON.parse(payload.toString()), props: packet.properties ?? {} }));
      const { results } = await runYaml(
        `
name: payloads
target: { url: "${mosq.url}", mqttVersion: 5 }
duration: 2s
groups:
  - name: sensors
    count: 5
    publish:
      topic: "pl/{run}/{i}"
      qos: 1
      every: 100ms
      topicAlias: true
      properties: { messageExpiry: 60s, contentType: application/json, userProperties: { site: lab } }
      payload: { json: '{"device": "{clientId}", "n": {seq}, "temp": {float:15..30}, "state": "{choice:on|off}"}' }
  - name: sink
    count: 1
    subscribe: [ { topic: "pl/{run}/#", qos: 1 } ]
`,
        2,
        { runId, driver },
      );
      await new Promise((r) => setTimeout(r, 300));
      witness.end();
      const m = results.summary.messages;
      expect(m.sent).toBe(100);
      expect(m.received).toBe(m.expected);
      expect(m.lost).toBe(0);
      expect(m.foreign).toBe(0); // every JSON payload's header was found and matched the run
      expect(seen.length).toBe(100);
      for (const s of seen) {
        expect(s.json.temp as number).toBeGreaterThanOrEqual(15);
        expect(['on', 'off']).toContain(s.json.state);
        expect(typeof s.json._mqb).toBe('string');
        expect(s.props).toMatchObject({ contentType: 'application/json', userProperties: { site: 'lab' } });
        expect(s.props.messageExpiryInterval as number).toBeGreaterThan(50);
      }
    },
  );

  it('a size range gives each message its own size within the range', async () => {
    const sizes: number[] = [];
    const runId = `sz${Math.random().toString(16).slice(2, 6)}`;
    const witness = mqtt.connect(mosq.url, { reconnectPeriod: 0 });
    await new Promise<void>((resolve) => witness.on('connect', () => witness.subscribe(`sz/${runId}/#`, { qos: 0 }, () => resolve())));
    witness.on('message', (_t, payload) => sizes.push(payload.length));
    const { results } = await runYaml(
      `
name: sizes
target: { url: "${mosq.url}" }
duration: 1s
groups:
  - name: sensors
    count: 4
    publish: { topic: "sz/{run}/{i}", rate: 200/s, payload: { size: 64..1KB } }
  - name: sink
    count: 1
    subscribe: [ "sz/{run}/#" ]
`,
      1,
      { runId },
    );
    await new Promise((r) => setTimeout(r, 300));
    witness.end();
    expect(results.summary.messages.lost).toBe(0);
    expect(sizes.length).toBe(200);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(64);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
    expect(new Set(sizes).size).toBeGreaterThan(50);
  });
});

describe('MQTT 5 request/response against mosquitto', () => {
  const mosq = useMosquitto();

  it.each(['lean', 'mqttjs'])('%s: every request is answered on its response topic and the request → response time is measured', async (driver) => {
    const { results } = await runYaml(
      `
name: reqresp
target: { url: "${mosq.url}", mqttVersion: 5 }
duration: 2s
drain: 2s
groups:
  - name: apps
    count: 4
    clientId: "app-{run}-{i}"
    subscribe: [ { topic: "resp/{run}/{clientId}", qos: 1 } ]
    publish: { topic: "req/{run}/{target}", targets: devices, qos: 1, rate: 100/s, responseTopic: "resp/{run}/{clientId}" }
  - name: devices
    count: 10
    respond: true
    subscribe: [ { topic: "req/{run}/{i}", qos: 1 } ]
`,
      2,
      { driver },
    );
    const m = results.summary.messages;
    expect(m.sent).toBe(200);
    expect(m.received).toBe(200); // requests reached the responders
    expect(m.lost).toBe(0);
    expect(m.responsesSent).toBe(200);
    expect(m.responsesReceived).toBe(200);
    const rr = results.summary.latencyMs.requestResponse;
    expect(rr.count).toBe(200);
    // A response needs two trips through the broker: it takes at least as long as the request's trip.
    expect(rr.p50).toBeGreaterThanOrEqual(results.summary.latencyMs.endToEnd.p50);
  });
});
