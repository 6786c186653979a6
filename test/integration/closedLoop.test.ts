import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/table.js';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

describe('closed loop (publish rate: max) against mosquitto', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    mosq = await startMosquitto();
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  for (const driver of ['mqttjs', 'lean'] as const) {
    it(`${driver}: publishes as fast as the acks allow within the window, every message accounted for, labelled a closed model`, async () => {
      const { results } = await runYaml(
        `
name: closed
target: { url: "${mosq.url}" }
warmup: 300ms
duration: 1500ms
drain: 2s
groups:
  - name: pubs
    count: 4
    clientId: "cl-{run}-{i}"
    publish: { topic: "cl/{run}/{i}", qos: 1, rate: max, inflight: 8, payload: { size: 64 } }
  - name: sink
    count: 1
    clientId: "cls-{run}-{i}"
    subscribe: [ { topic: "cl/{run}/#", qos: 1 } ]
`,
        2,
        { driver },
      );
      const s = results.summary;
      const m = s.messages;
      expect(results.status).toBe('complete');
      expect(m.sent).toBeGreaterThan(300); // 1.5 s of acks at QoS 1 over loopback: far more than a few
      expect(m.planned).toBe(m.sent); // nothing is ever due before it is sent
      expect(m.missedSends).toBe(0);
      expect(m.unsent).toBe(0);
      expect(m.acked).toBe(m.sent);
      expect(m.received).toBe(m.expected);
      expect(m.expected).toBe(m.sent);
      expect(m.lost).toBe(0);
      expect(m.inflightWindow).toBe(8);
      expect(results.generator.saturated).toBe(false);
      expect(s.closedLoop?.groups).toEqual(['pubs']);
      expect(s.verdicts[0]).toMatch(
        /^Closed model: group pubs publishes as fast as the acks allow \(rate: max, in-flight window 8\)\..*NOT corrected for coordinated omission/,
      );
      expect(renderSummary(results)).toContain('Closed model: group pubs');
      expect((results.scenario.groups as { publish?: { rate: unknown } }[])[0].publish?.rate).toBe('max');
    });
  }
});
