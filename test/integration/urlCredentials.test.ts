/**
 * Credentials in the broker URL, percent-encoded, reach a real mosquitto (with a password file) the same way
 * through both drivers and both mqtt.js paths (plain, and with a source address): a user name with "@" and a
 * password with ":" and "%" log in. Before, mqtt.js split "user:pass" after decoding, so an escaped ":" in
 * the password broke the login, and a "%" that starts no escape failed only at run time (now refused by
 * validation: see test/fixtures/bad/url-password-percent.yaml).
 */
import { describe, expect, it } from 'vitest';
import { usePasswordMosquitto } from '../helpers/passwordMosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

const USER = 'u@x';
const PASSWORD = 'p:w%d/50%';
const encoded = (port: number) => `mqtt://u%40x:p%3Aw%25d%2F50%25@127.0.0.1:${port}`;

const yaml = (url: string, sourceAddress: boolean) => `
name: url-credentials
target:
  url: "${url}"
${sourceAddress ? '  sourceAddresses: [ 127.0.0.2 ]\n' : ''}duration: 1s
drain: 1s
groups:
  - name: pub
    count: 2
    subscribe: [ "cred/{run}/#" ]
    publish: { topic: "cred/{run}/{i}", qos: 1, rate: 20/s }
`;

describe('URL credentials against mosquitto with a password file', () => {
  const { mosq } = usePasswordMosquitto([[USER, PASSWORD]], 'mqbench-cred-');

  it.each([
    ['lean', false],
    ['mqttjs', false],
    ['mqttjs', true],
  ] as const)('%s (source address: %s): every client logs in and every message arrives', async (driver, sourceAddress) => {
    const { results } = await runYaml(yaml(encoded(mosq.port), sourceAddress), 1, { driver });
    expect(results.summary.connections.errors).toEqual({});
    expect(results.summary.connections).toMatchObject({ attempted: 2, succeeded: 2, failed: 0 });
    expect(results.status).toBe('complete');
    expect(results.summary.messages.sent).toBeGreaterThan(0);
    expect(results.summary.messages.lost).toBe(0);
  });

  it('a wrong password in the URL is refused by the broker, not mangled into a crash (both drivers)', async () => {
    for (const driver of ['lean', 'mqttjs']) {
      const { results } = await runYaml(yaml(`mqtt://u%40x:nope%3A@127.0.0.1:${mosq.port}`, false), 1, { driver });
      expect(results.status).toBe('failed');
      expect(Object.keys(results.summary.connections.errors).join(' ')).toMatch(/Not authorized|Bad user name or password/);
    }
  });
});
