import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePasswordMosquitto } from '../helpers/passwordMosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

const group = (connect: string) => `
name: identity
target: { url: "URL", username: "dev-{i}", password: "s3cret-{i}-{group}" }
duration: 1s
drain: 1s
groups:
  - name: d
    count: 4
    clientId: "id-{run}-{i}"
    connect: ${connect}
    subscribe: [ "id/{run}/#" ]
    publish: { topic: "id/{run}/{i}", qos: 1, rate: 20/s }
`;

describe('per-client identity against mosquitto with a password file', () => {
  const devices: [string, string][] = [0, 1, 2, 3].map((i) => [`dev-${i}`, `s3cret-${i}-d`]);
  const { mosq, dir } = usePasswordMosquitto([...devices, ['csv-a', 'csv-pass-a'], ['csv-b', 'csv-pass-b']], 'mqbench-ident-');

  it("fills {i} and {group} into each client's username and password; no password reaches the results", async () => {
    const { results } = await runYaml(group('{ rate: 1000/s }').replace('URL', mosq.url), 1);
    expect(results.summary.connections).toMatchObject({ attempted: 4, succeeded: 4, failed: 0 });
    expect(results.summary.messages.lost).toBe(0);
    expect(JSON.stringify(results)).not.toContain('s3cret');
  });

  it("takes each client's row of connect.credentials (cycled); a wrong row is refused by the broker and counted", async () => {
    const csv = join(dir, 'clients.csv');
    writeFileSync(csv, 'username,password\ncsv-a,csv-pass-a\n"csv-b","csv-pass-b"\n');
    const { results } = await runYaml(group(`{ rate: 1000/s, credentials: "${csv}" }`).replace('URL', mosq.url), 1);
    expect(results.summary.connections).toMatchObject({ attempted: 4, succeeded: 4, failed: 0 });
    const rec = JSON.stringify(results);
    expect(rec).not.toContain('csv-pass');
    expect((results.scenario.groups as { connect: { credentials: unknown } }[])[0].connect.credentials).toEqual({ file: csv, rows: 2 });

    writeFileSync(csv, 'username,password\ncsv-a,csv-pass-a\ncsv-b,wrong\n');
    const bad = await runYaml(group(`{ rate: 1000/s, credentials: "${csv}" }`).replace('URL', mosq.url), 1);
    expect(bad.results.summary.connections).toMatchObject({ attempted: 4, succeeded: 2, failed: 2 }); // clients 1 and 3 use row 2
    expect(JSON.stringify(bad.results)).not.toContain('wrong');
  });
});
