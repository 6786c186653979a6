import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loaded, problemLines } from '../../test/helpers/scenario.js';
import { withIdentity } from '../worker/connector.js';
import { parseCsv } from './credentials.js';
import { parseScenarioText } from './load.js';
import { redactScenario } from './redact.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqb-creds-'));
  await writeFile(join(dir, 'c.pem'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
  await writeFile(join(dir, 'k.pem'), '-----BEGIN PRIVATE KEY-----\ny\n-----END PRIVATE KEY-----\n');
  await writeFile(join(dir, 'ok.csv'), 'username,password,cert,key\nu0,p0,c.pem,k.pem\n"u,1","p""1",,\n');
  await writeFile(join(dir, 'bad.csv'), 'user,password\nu0,p0\n');
  await writeFile(join(dir, 'short.csv'), 'username,password\nu0\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const yaml = (file: string) => `name: c\ngroups:\n  - name: d\n    count: 3\n    clientId: "d-{i}"\n    connect: { credentials: ${file} }\n`;
const load = (file: string) => parseScenarioText(yaml(file), join(dir, 's.yaml'), {});

describe('connect.credentials', () => {
  it('parses CSV with quotes', () => {
    expect(parseCsv('a,b\n"x,y","say ""hi"""\r\n\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x,y', 'say "hi"'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  it('reads each row (PEM files relative to the CSV); client i takes row i mod rows', () => {
    const s = loaded(load('ok.csv')).scenario;
    const rows = s.groups[0].connect.credentials!.rows;
    expect(rows[0]).toMatchObject({ username: 'u0', password: 'p0' });
    expect(rows[0].cert).toContain('BEGIN CERTIFICATE');
    expect(rows[1]).toEqual({ username: 'u,1', password: 'p"1' });
    const opts = { url: 'mqtts://h', clientId: 'x', protocolVersion: 4 as const, clean: true, keepaliveSec: 60, timeoutMs: 1000 };
    const dev = (index: number) => ({ index, group: s.groups[0] });
    const o2 = { ...opts };
    withIdentity(o2, dev(2));
    expect(o2).toMatchObject({ username: 'u0', password: 'p0', tls: { rejectUnauthorized: true } });
    const o1 = { ...opts };
    withIdentity(o1, dev(1));
    expect(o1).toMatchObject({ username: 'u,1', password: 'p"1' });
  });

  it('never writes a row to the results record, nor a secret into a problem', () => {
    const s = loaded(load('ok.csv')).scenario;
    const rec = JSON.stringify(redactScenario(s, []));
    expect(rec).not.toMatch(/p0|BEGIN|u0/);
    expect(rec).toContain('"credentials":{"file":"ok.csv","rows":2}');
    expect(problemLines(load('bad.csv')).join('\n')).toContain("needs a header line of columns from: username, password, cert, key (found 'user')");
    const short = problemLines(load('short.csv')).join('\n');
    expect(short).toContain('line 2: 1 fields, the header has 2');
    expect(short).not.toContain('u0');
    expect(problemLines(load('missing.csv')).join('\n')).toContain("cannot read the credentials file 'missing.csv'");
  });

  it('fills {i} and {group} into the target username and password', () => {
    const s = loaded(
      parseScenarioText(
        'name: c\ntarget: { username: "u-{group}-{i}", password: "p{i}" }\ngroups: [ { name: d, count: 2, clientId: "d-{i}" } ]\n',
        's.yaml',
        {},
      ),
    ).scenario;
    const o = {
      url: 'mqtt://h',
      clientId: 'x',
      protocolVersion: 4 as const,
      clean: true,
      keepaliveSec: 60,
      timeoutMs: 1000,
      username: s.target.username,
      password: s.target.password,
    };
    withIdentity(o, { index: 1, group: s.groups[0] });
    expect([o.username, o.password]).toEqual(['u-d-1', 'p1']);
  });
});
