import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/metrics/types.js';
import { renderSummary } from '../../src/report/table.js';
import { makeTestPki, type TestPki } from '../helpers/certs.js';
import { mqbench } from '../helpers/cli.js';
import { freePort, startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

const DEVICES = 20;

/** A small QoS 1 fan-out to `url`, with the given `tls:` mapping (YAML flow text) if any. */
function fanout(url: string, tls?: string): string {
  return `
name: transports
target:
  url: "${url}"
  mqttVersion: 3.1.1
${tls ? `  tls: ${tls}` : ''}
warmup: 200ms
duration: 1s
drain: 2s
groups:
  - name: devices
    count: ${DEVICES}
    clientId: "trdev-{run}-{i}"
    connect: { rate: 1000/s, timeout: 5s }
    subscribe: [ { topic: "tr/{run}/cmd/{i}", qos: 1 } ]
  - name: backend
    count: 1
    clientId: "trback-{run}-{i}"
    publish: { topic: "tr/{run}/cmd/{target}", targets: devices, qos: 1, rate: 200/s, payload: { size: 64 } }
`;
}

function expectDelivered(results: Results): void {
  const c = results.summary.connections;
  const m = results.summary.messages;
  expect(results.status).toBe('complete');
  expect(c).toMatchObject({ attempted: DEVICES + 1, succeeded: DEVICES + 1, failed: 0, lost: 0 });
  expect(c.errors).toEqual({});
  expect(m.sent).toBeGreaterThan(100);
  expect(m.expected).toBe(m.sent);
  expect(m.received).toBe(m.expected);
  expect(m.lost).toBe(0);
  expect(m.acked).toBe(m.sent);
}

/** Every connection failed, for one reason, and the summary's connection-problem table names it. */
function expectAllFailed(results: Results, reason: string): void {
  const c = results.summary.connections;
  expect(results.status).toBe('failed');
  expect(c.attempted).toBe(DEVICES + 1);
  expect(c.succeeded).toBe(0);
  expect(c.failed).toBe(DEVICES + 1);
  expect(c.errors).toEqual({ [reason]: DEVICES + 1 });
  expect(results.statusReason).toContain(reason);
  expect(renderSummary(results, { color: false })).toMatch(new RegExp(`${reason}\\s.*\\b${DEVICES + 1}\\b`));
}

describe('transports against mosquitto: mqtts (CA, client certificate), ws, wss', () => {
  let pki: TestPki;
  let mosq: MosquittoHandle;
  const port = { mqtts: 0, mtls: 0, ws: 0, wss: 0 };

  beforeAll(async () => {
    pki = makeTestPki();
    for (const k of Object.keys(port) as (keyof typeof port)[]) port[k] = await freePort();
    const certs = [`cafile ${pki.ca}`, `certfile ${pki.serverCert}`, `keyfile ${pki.serverKey}`];
    // mosquitto 2.0.11 refuses to start with only websockets listeners; the helper's plain listener comes first.
    mosq = await startMosquitto([
      `listener ${port.mqtts} 127.0.0.1`,
      ...certs,
      `listener ${port.mtls} 127.0.0.1`,
      ...certs,
      'require_certificate true',
      `listener ${port.ws} 127.0.0.1`,
      'protocol websockets',
      `listener ${port.wss} 127.0.0.1`,
      'protocol websockets',
      ...certs,
    ]);
  });
  afterAll(async () => {
    await mosq?.stop();
    pki?.remove();
  });

  it.each(['lean', 'mqttjs'])('%s: mqtts:// with tls.ca: the server certificate is verified and everything arrives', async (driver) => {
    const { results } = await runYaml(fanout(`mqtts://127.0.0.1:${port.mqtts}`, `{ ca: "${pki.ca}" }`), 2, { driver });
    expectDelivered(results);
  });

  it('mqtts:// with a client certificate to a require_certificate listener', async () => {
    const tls = `{ ca: "${pki.ca}", cert: "${pki.clientCert}", key: "${pki.clientKey}", servername: localhost }`;
    const { results } = await runYaml(fanout(`mqtts://127.0.0.1:${port.mtls}`, tls), 2);
    expectDelivered(results);
  });

  it.each(['mqttjs', 'lean'])('%s: mqtts:// with a client certificate from a source address (bound: a foreign one fails)', async (driver) => {
    const tls = `{ ca: "${pki.ca}", cert: "${pki.clientCert}", key: "${pki.clientKey}", servername: localhost }`;
    const from = (addr: string) =>
      fanout(`mqtts://127.0.0.1:${port.mtls}`, tls).replace('  mqttVersion: 3.1.1\n', `  mqttVersion: 3.1.1\n  sourceAddresses: [ ${addr} ]\n`);
    expectDelivered((await runYaml(from('127.0.0.5'), 1, { driver })).results);
    expectAllFailed((await runYaml(from('192.0.2.1'), 1, { driver })).results, 'EADDRNOTAVAIL');
  });

  it.each(['lean', 'mqttjs'])('%s: ws:// (with a path)', async (driver) => {
    const { results } = await runYaml(fanout(`ws://127.0.0.1:${port.ws}/mqtt`), 2, { driver });
    expectDelivered(results);
  });

  it.each(['lean', 'mqttjs'])('%s: wss:// with tls.ca', async (driver) => {
    const { results } = await runYaml(fanout(`wss://127.0.0.1:${port.wss}/mqtt`, `{ ca: "${pki.ca}" }`), 2, { driver });
    expectDelivered(results);
  });

  it.each(['lean', 'mqttjs'])('%s: mqtts:// and wss:// without the CA: every connection fails with the certificate error code', async (driver) => {
    // mosquitto sends its CA along with the server certificate, so Node finds a self-signed root it does not trust.
    for (const url of [`mqtts://127.0.0.1:${port.mqtts}`, `wss://127.0.0.1:${port.wss}`]) {
      const { results } = await runYaml(fanout(url), 1, { driver });
      expectAllFailed(results, 'SELF_SIGNED_CERT_IN_CHAIN');
    }
  });

  it.each(['lean', 'mqttjs'])('%s: a servername the certificate does not name fails with ERR_TLS_CERT_ALTNAME_INVALID', async (driver) => {
    const { results } = await runYaml(fanout(`mqtts://127.0.0.1:${port.mqtts}`, `{ ca: "${pki.ca}", servername: broker.example.com }`), 1, { driver });
    expectAllFailed(results, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('no client certificate for a require_certificate listener: the TLS alert is the reason', async () => {
    const { results } = await runYaml(fanout(`mqtts://127.0.0.1:${port.mtls}`, `{ ca: "${pki.ca}" }`), 1);
    expectAllFailed(results, 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it.each(['lean', 'mqttjs'])('%s: insecure: true without the CA works on mqtts:// and wss://', async (driver) => {
    for (const url of [`mqtts://127.0.0.1:${port.mqtts}`, `wss://127.0.0.1:${port.wss}`]) {
      const { results } = await runYaml(fanout(url, '{ insecure: true }'), 1, { driver });
      expectDelivered(results);
    }
  });

  it('the CLI warns about insecure: true, records it, and never writes the key', async () => {
    // Relative paths: read next to the scenario file.
    const file = join(pki.dir, 'insecure.yaml');
    writeFileSync(file, fanout(`mqtts://127.0.0.1:${port.mtls}`, '{ cert: client.crt, key: client.key, insecure: true }'));
    const out = join(pki.dir, 'insecure.json');
    const r = await mqbench(['run', file, '--out', out, '--workers', '1', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const warning = 'mqbench: WARNING: TLS certificate checks are off (target.tls.insecure: true): anyone on the path can read and alter the traffic.';
    expect(r.stderr.split('\n').filter((l) => l === warning)).toHaveLength(1);
    expect(r.stdout).toContain('WARNING: TLS certificate checks were off');
    const json = readFileSync(out, 'utf8');
    const results = JSON.parse(json) as Results;
    expectDelivered(results);
    expect(results.target.insecureTls).toBe(true);
    expect(results.scenario.target).toMatchObject({ tls: { key: '[redacted]', insecure: true, cert: expect.stringMatching(/^client\.crt \(SHA-256 /) } });
    const keyBody = readFileSync(pki.clientKey, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'));
    for (const line of keyBody) {
      for (const text of [json, r.stdout, r.stderr]) expect(text).not.toContain(line);
    }
    expect(json).not.toContain('PRIVATE KEY');
  });
});
