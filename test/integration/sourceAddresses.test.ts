/**
 * Several brokers (target.urls) and several local source addresses (target.sourceAddresses), with both
 * drivers against two real mosquittos: client g must reach urls[g % 2] from sourceAddresses[g % 3], which
 * each broker's connection log shows ("New client connected from <address>:<port> as <client id>").
 * All of 127.0.0.0/8 is loopback on Linux, so 127.0.0.2-4 need no set-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTarget } from '../../src/cli/target.js';
import { fakeIo } from '../../src/cli/fakeIo.test-helper.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { freePort, startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { runYaml } from '../helpers/runScenario.js';
import { loaded } from '../helpers/scenario.js';

const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
const LOG = ['log_type notice', 'connection_messages true'];

/** client id → source address, from a mosquitto log. */
function connectionsIn(log: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of log.matchAll(/New client connected from ([0-9.]+):\d+ as (\S+)/g)) out.set(m[2], m[1]);
  return out;
}

const yaml = (urls: string[], tag: string) => `
name: source-addresses
target:
  urls: [ ${urls.map((u) => `"${u}"`).join(', ')} ]
  sourceAddresses: [ ${SOURCES.join(', ')} ]
duration: 1s
drain: 1s
groups:
  - name: pub
    count: 6
    clientId: "${tag}-{i}"
    connect: { rate: 100/s }
    publish: { topic: "src/{run}/{i}", qos: 1, rate: 60/s, payload: { size: 64 } }
`;

describe('target.urls + target.sourceAddresses against two mosquittos', () => {
  let a: MosquittoHandle;
  let b: MosquittoHandle;
  beforeAll(async () => {
    [a, b] = await Promise.all([startMosquitto(LOG), startMosquitto(LOG)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it.each(['mqttjs', 'lean'])('%s: client g connects to urls[g %% 2] from sourceAddresses[g %% 3]', async (driver) => {
    const tag = `src-${driver}-${Date.now().toString(36)}`;
    const { results } = await runYaml(yaml([a.url, b.url], tag), 1, { driver });
    expect(results.status, results.statusReason).toBe('complete');
    expect(results.summary.connections.succeeded).toBe(6);
    expect(results.summary.messages.acked).toBe(results.summary.messages.sent);
    const logs = [connectionsIn(a.log()), connectionsIn(b.log())];
    for (let g = 0; g < 6; g++) {
      expect(logs[g % 2].get(`${tag}-${g}`), `client ${g} on broker ${g % 2}`).toBe(SOURCES[g % 3]);
      expect(logs[(g + 1) % 2].has(`${tag}-${g}`), `client ${g} not on the other broker`).toBe(false);
    }
    // Every source address was used on each broker (6 clients: (g % 2, g % 3) takes all six pairs).
    for (const log of logs) expect(new Set([...log].filter(([id]) => id.startsWith(tag)).map(([, src]) => src))).toEqual(new Set(SOURCES));
  });

  it('probes every URL and every source address first: one line per problem', async () => {
    const down = await freePort();
    const unreachable = loaded(parseScenarioText(yaml([a.url, `mqtt://127.0.0.1:${down}`, b.url], 'x'), 'x.yaml', {})).scenario;
    await expect(prepareTarget(fakeIo(), unreachable)).rejects.toThrow(new RegExp(`^cannot reach the broker at mqtt://127\\.0\\.0\\.1:${down}: ECONNREFUSED$`));
    const foreign = loaded(parseScenarioText(yaml([a.url, b.url], 'y'), 'y.yaml', {})).scenario;
    foreign.target.sourceAddresses = ['127.0.0.2', '192.0.2.1'];
    await expect(prepareTarget(fakeIo(), foreign)).rejects.toThrow(
      new RegExp(`^cannot connect from source address 192\\.0\\.2\\.1 to ${a.url.replace(/\./g, '\\.')}: EADDRNOTAVAIL$`),
    );
    const fine = loaded(parseScenarioText(yaml([a.url, b.url], 'z'), 'z.yaml', {})).scenario;
    await expect(prepareTarget(fakeIo(), fine)).resolves.toMatchObject({ embedded: null, scenario: fine });
  });
});
