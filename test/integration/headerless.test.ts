import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/table.js';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

describe('header-less payloads (payload.header: false) against mosquitto', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    mosq = await startMosquitto();
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  it('sends the bytes as written, counts and acks them, and says end-to-end latency and the ledger are off for that group', async () => {
    const runId = `hl${Math.random().toString(16).slice(2, 6)}`;
    // An independent subscriber sees what crossed the broker.
    const raw: Buffer[] = [];
    const witness = mqtt.connect(mosq.url, { reconnectPeriod: 0 });
    await new Promise<void>((resolve) => witness.on('connect', () => witness.subscribe(`hl/${runId}/raw/#`, { qos: 1 }, () => resolve())));
    witness.on('message', (_t, payload) => raw.push(Buffer.from(payload)));
    const { results } = await runYaml(
      `
name: headerless
target: { url: "${mosq.url}" }
duration: 2s
groups:
  - name: raw
    count: 5
    clientId: "raw-{run}-{i}"
    publish: { topic: "hl/{run}/raw/{i}", qos: 1, every: 100ms, payload: { header: false, hex: "de ad be ef" } }
  - name: checked
    count: 5
    clientId: "chk-{run}-{i}"
    publish: { topic: "hl/{run}/chk/{i}", qos: 1, every: 100ms, payload: { size: 20 } }
  - name: sink
    count: 1
    clientId: "sink-{run}-{i}"
    subscribe: [ { topic: "hl/{run}/#", qos: 1 } ]
`,
      2,
      { runId },
    );
    await new Promise((r) => setTimeout(r, 300));
    witness.end();
    const s = results.summary;
    const m = s.messages;
    expect(m.sent).toBe(200);
    expect(m.acked).toBe(200); // publish→ack stays for both groups
    expect(s.latencyMs.publishAck.count).toBe(200);
    // The checked group: its 100 messages expected, received, timed.
    expect(m.expected).toBe(100);
    expect(m.received).toBe(100);
    expect(m.lost).toBe(0);
    expect(s.latencyMs.endToEnd.count).toBe(100);
    // The header-less group: delivered (the witness and the sink saw every one), counted, never checked.
    expect(m.receivedNoHeader).toBe(100);
    expect(m.foreign).toBe(0);
    expect(raw.length).toBe(100);
    for (const b of raw) expect(b.toString('hex')).toBe('deadbeef');
    expect(s.headerless?.groups).toEqual(['raw']);
    expect(s.verdicts[0]).toMatch(
      /^Not measured: group raw publishes without the mqbench header .*end-to-end latency and the delivery ledger .* leave it out; publish→ack latency and the counts are measured \(100 deliveries without a header/,
    );
    expect(renderSummary(results)).toContain('Not measured: group raw publishes without the mqbench header');
  });

  it('payloads under 16 bytes (zero filler) and text, with no group carrying the header: the ledger is off for the run', async () => {
    const runId = `hs${Math.random().toString(16).slice(2, 6)}`;
    const { results } = await runYaml(
      `
name: headerless-small
target: { url: "${mosq.url}" }
duration: 1s
groups:
  - name: tiny
    count: 2
    clientId: "tiny-{run}-{i}"
    publish: { topic: "hs/{run}/{i}", qos: 0, every: 100ms, payload: { header: false, size: 4 } }
  - name: words
    count: 1
    clientId: "w-{run}-{i}"
    publish: { topic: "hs/{run}/w", qos: 1, rate: 10/s, payload: { header: false, text: "on" } }
  - name: sink
    count: 1
    clientId: "sink-{run}-{i}"
    subscribe: [ { topic: "hs/{run}/#", qos: 1 } ]
`,
      1,
      { runId },
    );
    const s = results.summary;
    expect(s.messages.sent).toBe(30);
    expect(s.messages.expected).toBe(0);
    expect(s.messages.receivedNoHeader).toBe(30);
    expect(s.latencyMs.endToEnd.count).toBe(0);
    expect(s.latencyMs.publishAck.count).toBe(10);
    expect(s.headerless?.groups).toEqual(['tiny', 'words']);
    expect(s.verdicts[0]).toContain('are off for this run');
  });
});
