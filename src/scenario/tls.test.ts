import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, opensslIn, type TestPki } from '../../test/helpers/certs.js';
import { loaded, problems as problemsOf } from '../../test/helpers/scenario.js';
import { loadScenario, parseScenarioText, type LoadResult } from './load.js';
import { loadTlsMaterial } from './tlsMaterial.js';
import { REDACTED, redactScenario } from './redact.js';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
  opensslIn(pki, ['pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:secret', '-out', 'client-encrypted.key']);
  opensslIn(pki, ['x509', '-in', 'ca.crt', '-outform', 'der', '-out', 'ca.der']);
});
afterAll(() => pki?.remove());

/** A scenario file in the PKI directory (so relative paths resolve there) with the given target lines. */
function scenarioFile(target: string): string {
  const file = join(pki.dir, 'scenario.yaml');
  writeFileSync(file, `name: tls\ntarget:\n${target}\ngroups:\n  - name: a\n    count: 1\n`);
  return file;
}

/** The scenario validated: files checked, not read. */
const validated = async (target: string, env: Record<string, string> = {}) => loaded(await loadScenario(scenarioFile(target), env));

/** Validation, then (when it passes) the TLS material step, as the CLI runs them. */
async function bothSteps(target: string, env: Record<string, string> = {}): Promise<LoadResult> {
  const result = await loadScenario(scenarioFile(target), env);
  return result.ok ? loadTlsMaterial(result.loaded) : result;
}

const problems = async (target: string, env: Record<string, string> = {}) => problemsOf(await bothSteps(target, env));

const pem = (file: string) => readFileSync(join(pki.dir, file), 'utf8');

/** Copies a PKI file under a new name; returns the name. */
function copyOf(file: string, name: string): string {
  copyFileSync(join(pki.dir, file), join(pki.dir, name));
  return name;
}

describe('target.tls: a valid mapping', () => {
  it('validation keeps the paths; the material step reads the files relative to the scenario file into a new scenario', async () => {
    const v = await validated('  url: mqtts://127.0.0.1:8883\n  tls: { ca: ca.crt, cert: client.crt, key: client.key }');
    expect(v.scenario.target.tls).toEqual({ insecure: false, files: { ca: 'ca.crt', cert: 'client.crt', key: 'client.key' } });
    const { scenario } = loaded(await loadTlsMaterial(v));
    expect(scenario.target.tls).toEqual({
      ca: pem('ca.crt'),
      cert: pem('client.crt'),
      key: pem('client.key'),
      insecure: false,
      files: { ca: 'ca.crt', cert: 'client.crt', key: 'client.key' },
    });
    expect(structuredClone(scenario)).toEqual(scenario);
    expect(v.scenario.target.tls).not.toHaveProperty('ca'); // the validated scenario is not changed
  });

  it('accepts absolute paths, insecure and servername, and tls on wss://', async () => {
    const yaml = `name: t\ntarget:\n  url: wss://127.0.0.1/mqtt\n  tls: { ca: "${pki.ca}", insecure: true, servername: broker.example.com }\ngroups: [ { name: a, count: 1 } ]\n`;
    const { scenario } = loaded(await loadTlsMaterial(loaded(parseScenarioText(yaml, 't.yaml', {}))));
    expect(scenario.target.tls).toEqual({ ca: pem('ca.crt'), insecure: true, servername: 'broker.example.com', files: { ca: pki.ca } });
  });

  it('leaves tls out when there is none, and allows it when the URL is left to --broker', async () => {
    const none = loaded(parseScenarioText('name: t\ntarget: { url: mqtts://h }\ngroups: [ { name: a, count: 1 } ]\n', 't.yaml', {}));
    expect(none.scenario.target.tls).toBeUndefined();
    expect(loaded(await loadTlsMaterial(none))).toBe(none);
    const later = loaded(parseScenarioText('name: t\ntarget: { tls: { insecure: true } }\ngroups: [ { name: a, count: 1 } ]\n', 't.yaml', {}));
    expect(loaded(await loadTlsMaterial(later)).scenario.target.tls).toEqual({ insecure: true, files: {} });
  });

  it('a key path from ${VAR} is a secret path', async () => {
    const l = await validated('  url: mqtts://h\n  tls: { cert: client.crt, key: "${MQB_KEY}" }', { MQB_KEY: 'client.key' });
    expect(l.secretPaths).toEqual(['target.tls.key']);
  });
});

describe('target.tls: problems found by validation (files looked at, not read)', () => {
  it('a missing file names the file at its position, with where it was looked for', async () => {
    const found = problemsOf(await loadScenario(scenarioFile('  url: mqtts://h\n  tls:\n    ca: certs/nope.pem'), {}));
    expect(found).toEqual([
      expect.objectContaining({
        line: 5,
        col: 9,
        path: 'target.tls.ca',
        message: "cannot read the CA certificate file 'certs/nope.pem': no such file",
        hint: `looked for ${join(pki.dir, 'certs/nope.pem')} (paths are relative to the scenario file)`,
      }),
    ]);
  });

  it('a directory or a FIFO is not a regular file (refused at once, nothing read)', async () => {
    mkdirSync(join(pki.dir, 'adir'), { recursive: true });
    execFileSync('mkfifo', ['-m', '600', join(pki.dir, 'apipe')]);
    const found = problemsOf(await loadScenario(scenarioFile('  url: mqtts://h\n  tls: { ca: adir, cert: apipe, key: client.key }'), {}));
    expect(found.map((p) => [p.path, p.message])).toEqual([
      ['target.tls.ca', "the CA certificate file 'adir' is not a regular file"],
      ['target.tls.cert', "the client certificate file 'apipe' is not a regular file"],
    ]);
  });

  it('tls on a URL without TLS, with a hint', async () => {
    for (const url of ['mqtt://h:1883', 'ws://h/mqtt']) {
      const found = await problems(`  url: ${url}\n  tls: { ca: ca.crt }`);
      expect(found).toEqual([
        expect.objectContaining({
          line: 4,
          col: 3,
          path: 'target.tls',
          message: `tls is set, but the target URL '${url}' does not use TLS`,
          hint: 'use an mqtts:// or wss:// URL, or remove tls',
        }),
      ]);
    }
    const embedded = await problems('  url: embedded\n  tls: { insecure: true }');
    expect(embedded[0].message).toBe('tls is set, but the embedded broker does not use TLS');
  });

  it("reports the field problems together; the files' contents are judged once the scenario is valid", async () => {
    const found = await problems(
      '  url: mqtts://h\n  tls:\n    ca: ca.der\n    cert: client.key\n    key: client-encrypted.key\n    insecure: maybe\n    servername: 10.0.0.1',
    );
    expect(found.map((p) => [p.line, p.path, p.message])).toEqual([
      [8, 'target.tls.insecure', "must be true or false, got 'maybe'"],
      [9, 'target.tls.servername', 'servername must be a host name, not an IP address'],
    ]);
  });

  it('cert and key come as a pair', async () => {
    const alone = await problems('  url: mqtts://h\n  tls: { cert: client.crt }');
    expect(alone).toEqual([
      expect.objectContaining({ path: 'target.tls.cert', message: 'cert needs key: a client certificate goes with its private key', hint: 'add tls.key' }),
    ]);
  });

  it('unknown keys get a did-you-mean', async () => {
    const found = await problems('  url: mqtts://h\n  tls: { ca: server.key, insecur: true, key: "" }');
    expect(found.map((p) => [p.path, p.message, p.hint])).toEqual([
      ['target.tls.insecur', 'unknown key', 'did you mean "insecure"?'],
      ['target.tls.key', 'key needs cert: a client certificate goes with its private key', 'add tls.cert'],
      ['target.tls.key', 'a file path must not be empty', undefined],
    ]);
  });
});

describe('target.tls: problems found by the material step (the files read)', () => {
  it('reports every file problem at once, positioned: not PEM, wrong kind of file, encrypted key', async () => {
    const found = await problems('  url: mqtts://h\n  tls:\n    ca: ca.der\n    cert: client.key\n    key: client-encrypted.key');
    expect(found.map((p) => [p.line, p.col, p.path, p.message])).toEqual([
      [5, 9, 'target.tls.ca', '\'ca.der\' is not a PEM file (it has no "-----BEGIN" line)'],
      [6, 11, 'target.tls.cert', "'client.key' holds no readable client certificate"],
      [7, 10, 'target.tls.key', "the private key in 'client-encrypted.key' is encrypted"],
    ]);
  });

  it('cert and key must belong together', async () => {
    const mismatch = await problems('  url: mqtts://h\n  tls: { cert: client.crt, key: server.key }');
    expect(mismatch).toEqual([
      expect.objectContaining({ path: 'target.tls.key', message: "the private key in 'server.key' does not belong to the client certificate in 'client.crt'" }),
    ]);
  });

  it('no problem ever quotes a file', async () => {
    const found = await problems('  url: mqtts://h\n  tls: { ca: server.key }');
    expect(found.map((p) => [p.path, p.message, p.hint])).toEqual([
      ['target.tls.ca', "'server.key' holds no readable CA certificate", 'expected a "-----BEGIN CERTIFICATE-----" block'],
    ]);
    const body = pem('server.key').split('\n')[1];
    for (const p of found) expect(`${p.message} ${p.hint}`).not.toContain(body);
  });

  it('a file that went away after validation is a problem, not a crash', async () => {
    const v = await validated('  url: mqtts://h\n  tls: { ca: gone.crt }'.replace('gone.crt', copyOf('ca.crt', 'gone.crt')));
    rmSync(join(pki.dir, 'gone.crt'));
    expect(problemsOf(await loadTlsMaterial(v))).toEqual([
      expect.objectContaining({ path: 'target.tls.ca', message: "cannot read the CA certificate file 'gone.crt': no such file" }),
    ]);
  });
});

describe('redactScenario with tls', () => {
  it('the key is always redacted; ca and cert become file name and fingerprint', async () => {
    const { scenario } = loaded(await bothSteps('  url: mqtts://h\n  tls: { ca: ca.crt, cert: client.crt, key: client.key }'));
    const out = redactScenario(scenario, []);
    const tls = (out.target as Record<string, unknown>).tls as Record<string, unknown>;
    expect(tls.key).toBe(REDACTED);
    expect(tls.ca).toMatch(/^ca\.crt \(SHA-256 ([0-9A-F]{2}:){7}[0-9A-F]{2}…\)$/);
    expect(tls.cert).toMatch(/^client\.crt \(SHA-256 /);
    expect(tls).not.toHaveProperty('files');
    expect(JSON.stringify(out)).not.toMatch(/BEGIN|PRIVATE/);
    // The scenario itself keeps everything (it is what the workers connect with).
    expect(scenario.target.tls?.key).toBe(pem('client.key'));
  });

  it('a ca path from ${VAR} is redacted whole', async () => {
    const l = loaded(await bothSteps('  url: mqtts://h\n  tls: { ca: "${MQB_CA}" }', { MQB_CA: 'ca.crt' }));
    const out = redactScenario(l.scenario, l.secretPaths);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the redacted scenario is an untyped document
    expect((out.target as Record<string, any>).tls).toEqual({ ca: REDACTED, insecure: false });
  });
});
