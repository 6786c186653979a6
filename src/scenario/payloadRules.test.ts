import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loaded, problemLines } from '../../test/helpers/scenario.js';
import { parseScenarioText } from './load.js';
import { scenarioRecord } from './record.js';

const yaml = (payload: string, extra = '') => `
name: raw
groups:
  - name: sensors
    count: 2
    clientId: "s-{i}"
    publish: { topic: "t/{i}", rate: 10/s, payload: ${payload}${extra} }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqb-payload-'));
  await writeFile(join(dir, 'a.bin'), Buffer.from([1, 2, 3]));
  await writeFile(join(dir, 'b.json'), '{"x":1}');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const load = (text: string) => parseScenarioText(text, join(dir, 'raw.yaml'), {});
const payloadOf = (text: string) => loaded(load(text)).scenario.groups[0].publish!.payload;

describe('payload: header: false', () => {
  it('allows sizes below the header, down to 0, as zero filler', () => {
    expect(payloadOf(yaml('{ header: false, size: 8 }'))).toEqual({ size: 8, header: false });
    expect(payloadOf(yaml('{ header: false, size: 0 }'))).toEqual({ size: 0, header: false });
    expect(payloadOf(yaml('{ header: false, size: "1..20" }'))).toEqual({ size: 1, maxSize: 20, header: false });
  });

  it('sends text, base64 and hex as written, the size from the bytes', () => {
    expect(payloadOf(yaml('{ header: false, text: "héllo" }'))).toEqual({
      size: 6,
      header: false,
      body: { source: 'text', data: [Buffer.from('héllo').toString('base64')] },
    });
    expect(payloadOf(yaml('{ header: false, base64: "AAEC" }'))).toEqual({ size: 3, header: false, body: { source: 'base64', data: ['AAEC'] } });
    expect(payloadOf(yaml('{ header: false, hex: "de ad BE EF" }'))).toEqual({
      size: 4,
      header: false,
      body: { source: 'hex', data: [Buffer.from('deadbeef', 'hex').toString('base64')] },
    });
  });

  it('reads a file, or files cycled, relative to the scenario file', () => {
    expect(payloadOf(yaml('{ header: false, file: a.bin }'))).toEqual({ size: 3, header: false, body: { source: 'file', files: ['a.bin'], data: ['AQID'] } });
    const p = payloadOf(yaml('{ header: false, files: [a.bin, b.json] }'));
    expect(p.body!.data.map((d) => Buffer.from(d, 'base64').toString('latin1'))).toEqual(['\x01\x02\x03', '{"x":1}']);
    expect([p.size, p.maxSize]).toEqual([3, 7]);
  });

  it('keeps the bytes out of the results record (sizes only)', () => {
    const s = loaded(load(yaml('{ header: false, files: [a.bin, b.json] }'))).scenario;
    const rec = scenarioRecord(s) as { groups: { publish: { payload: { body: unknown } } }[] };
    expect(rec.groups[0].publish.payload.body).toEqual({ source: 'files', files: ['a.bin', 'b.json'], sizes: [3, 7] });
  });

  it('refuses what cannot be right, each problem positioned', () => {
    const lines = (p: string, extra = '') => problemLines(load(yaml(p, extra))).map((l) => l.replace(/^.*?raw\.yaml:/, ''));
    expect(lines('{ size: 8 }')).toEqual([
      expect.stringContaining('groups[0].publish.payload.size: payload size 8 B is smaller than the 16-byte compact mqbench header'),
    ]);
    expect(lines('{ text: "hi" }')).toEqual([expect.stringContaining('groups[0].publish.payload.text: text is sent as written, so it needs header: false')]);
    expect(lines('{ header: false, text: "hi", hex: "00" }')).toEqual([expect.stringContaining('set one payload source, got text and hex')]);
    expect(lines('{ header: false, text: "hi", size: 8 }')).toEqual([expect.stringContaining('size comes from the text: remove size')]);
    expect(lines('{ header: false, base64: "a" }')).toEqual([expect.stringContaining('base64: is not valid base64')]);
    expect(lines('{ header: false, hex: "abc" }')).toEqual([expect.stringContaining('hex: is not valid hex')]);
    expect(lines('{ header: false, file: nope.bin }')).toEqual([expect.stringContaining("cannot read the payload file 'nope.bin'")]);
    expect(lines('{ header: false, files: [a.bin, missing.bin] }')).toEqual([
      expect.stringContaining("groups[0].publish.payload.files[1]: cannot read the payload file 'missing.bin'"),
    ]);
  });

  it('refuses a response topic without the header (it is the correlation data)', () => {
    const text = `
name: raw
target: { mqttVersion: 5 }
groups:
  - name: a
    count: 1
    publish: { topic: "t", rate: 1/s, responseTopic: "r", payload: { header: false } }
`;
    expect(problemLines(load(text)).join('\n')).toContain('responseTopic needs the mqbench header');
  });
});

describe('connect.will and MQTT 3.1', () => {
  const text = (connect: string, version = '3.1.1') => `
name: w
target: { mqttVersion: ${version} }
groups:
  - name: d
    count: 2
    clientId: "d-{i}"
    connect: ${connect}
`;
  it('reads a will with its defaults, and mqttVersion 3.1 as protocol level 3', () => {
    const s = loaded(load(text('{ will: { topic: "status/{clientId}" } }', '"3.1"'))).scenario;
    expect(s.target.mqttVersion).toBe(3);
    expect(s.groups[0].connect.will).toEqual({ topic: 'status/{clientId}', payload: '', qos: 0, retain: false });
  });
  it('refuses a wildcard will topic and a bad QoS', () => {
    const lines = problemLines(load(text('{ will: { topic: "status/#", qos: 3 } }'))).join('\n');
    expect(lines).toContain('connect.will.topic: cannot publish to a wildcard topic');
    expect(lines).toContain('connect.will.qos: must be 0, 1 or 2');
  });
});

describe('publish rate: max (closed loop)', () => {
  const text = (pub: string, extra = '') => `
name: c
${extra}
groups:
  - name: d
    count: 2
    clientId: "d-{i}"
    publish: { topic: "t/{i}", ${pub} }
`;
  it('reads rate: max as a closed loop with no scheduled rate', () => {
    const s = loaded(load(text('qos: 1, rate: max, inflight: 4'))).scenario;
    expect(s.groups[0].publish!.rate).toEqual({ kind: 'max' });
    expect(s.groups[0].publish!.inflight).toBe(4);
  });
  it('refuses QoS 0 (no ack to wait for), a QoS mix, and stages', () => {
    expect(problemLines(load(text('qos: 0, rate: max'))).join('\n')).toContain('rate: max (a closed loop on acks) needs QoS 1 or 2');
    expect(problemLines(load(text('qos: { 0: 50%, 1: 50% }, rate: max'))).join('\n')).toContain('needs QoS 1 or 2');
    expect(problemLines(load(text('qos: 1, rate: max', 'stages: [ { duration: 2s, rate: 100% } ]'))).join('\n')).toContain(
      'stages scale a rate: a closed loop (rate: max) has none',
    );
  });
});

describe('connect.lifetime (churn)', () => {
  it('reads duration, jitter and pause (defaults 0s and 1s), and needs a duration above 0', () => {
    const yamlOf = (l: string) => `name: c\ngroups:\n  - name: d\n    count: 2\n    clientId: "d-{i}"\n    connect: { lifetime: ${l} }\n`;
    expect(loaded(load(yamlOf('{ duration: 30s, jitter: 10s, pause: 2s }'))).scenario.groups[0].connect.lifetime).toEqual({
      durationMs: 30_000,
      jitterMs: 10_000,
      pauseMs: 2000,
    });
    expect(loaded(load(yamlOf('{ duration: 5s }'))).scenario.groups[0].connect.lifetime).toEqual({ durationMs: 5000, jitterMs: 0, pauseMs: 1000 });
    expect(problemLines(load(yamlOf('{ duration: 0s }'))).join('\n')).toContain('connect.lifetime.duration: must be longer than 0s');
    expect(problemLines(load(yamlOf('{ pause: 1s }'))).join('\n')).toContain('connect.lifetime.duration: is required');
  });
});
