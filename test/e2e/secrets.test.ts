import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';

const SECRET = 'Zq9-very-secret-pw-4711';
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-secrets-'));

const scenario = (url: string) => `
name: secrets
target: { url: "${url}", username: bench, password: "\${MQB_TEST_PASSWORD}" }
duration: 1s
groups:
  - name: devices
    count: 5
    subscribe: [ "s/{run}/{i}" ]
  - name: backend
    count: 1
    publish: { topic: "s/{run}/{target}", targets: devices, rate: 50/s }
`;

describe('secrets never leak (mosquitto with a password file)', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    const pw = join(tmp, 'passwd');
    execFileSync('mosquitto_passwd', ['-c', '-b', pw, 'bench', SECRET]);
    // mosquitto started as root drops to its own user, which must be able to read the file.
    chmodSync(tmp, 0o755);
    chmodSync(pw, 0o644);
    mosq = await startMosquitto(['allow_anonymous false', `password_file ${pw}`]);
    writeFileSync(join(tmp, 's.yaml'), scenario(mosq.url));
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  it('a good password from ${VAR}: the run works and the secret is in no output and no results file', async () => {
    const out = join(tmp, 'ok.json');
    const r = await mqbench(['run', join(tmp, 's.yaml'), '--out', out], { env: { MQB_TEST_PASSWORD: SECRET } });
    expect(r.code).toBe(0);
    const json = readFileSync(out, 'utf8');
    expect(JSON.parse(json).summary.messages.lost).toBe(0);
    for (const text of [r.stdout, r.stderr, json]) expect(text).not.toContain(SECRET);
    expect(json).toContain('[redacted]');
  });

  it('wrong passwords (in ${VAR} and in the URL): CONNACK refusal named, exit 1, and no password printed', async () => {
    const wrong = 'Wrong-pw-0000-abcdef';
    const inUrl = 'Url-pw-1111-ghijkl';
    const out = join(tmp, 'bad.json');
    const r = await mqbench(['run', join(tmp, 's.yaml'), '--out', out, '--broker', mosq.url.replace('mqtt://', `mqtt://bench:${inUrl}@`)], {
      env: { MQB_TEST_PASSWORD: wrong },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CONNACK refused: Not authorized/);
    const json = readFileSync(out, 'utf8');
    for (const text of [r.stdout, r.stderr, json]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(inUrl);
      expect(text).not.toContain(SECRET);
    }
  });

  it('a scenario error near a secret does not echo the value', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, scenario(mosq.url).replace('count: 5', 'count: "${MQB_TEST_PASSWORD}"'));
    const r = await mqbench(['validate', file], { env: { MQB_TEST_PASSWORD: SECRET } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/count/);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
  });
});
