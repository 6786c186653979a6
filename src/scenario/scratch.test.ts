import { test } from 'vitest';
import { parseScenarioText } from './load.js';
import { ScenarioError } from '../shared/errors.js';
function run(t: string, env: Record<string,string> = {}) {
  try { console.log(JSON.stringify(parseScenarioText(t, 'x.yaml', env), null, 1)); }
  catch (e) { if (e instanceof ScenarioError) console.log(e.message); else throw e; }
}
test('s', () => {
  run(`name: fanout
target:
  url: mqtt://u:p@127.0.0.1:1883
  mqttVersion: 5
  password: \${PW}
warmup: 2s
duration: 30s
groups:
  - name: devices
    count: 2000
    clientId: "dev-{i}"
    connect: { rate: 500/s, clean: true, keepalive: 60s }
    subscribe: [ { topic: "cmd/{i}", qos: 1 }, "x/+/y" ]
  - name: backend
    count: 1
    publish:
      topic: "cmd/{target}"
      qos: 1
      rate: 2000/s
      payload: { size: 128 }
thresholds:
  - "endToEnd.p99 < 50ms"
`, { PW: 'hunter2' });
  run(`name: bad name
target:
  url: ftp://x
  mqttVersion: 3
  pasword: \${PW}
warmup: 2
duraton: 30s
events: []
groups:
  - name: devices
    count: 0
    clientId: "dev"
    conect: { rate: 500/s }
    connect: { rate: fast, clean: yes, keepalive: 1.5s }
    subscribe: [ { topic: "cmd/{j}", qos: 3 }, "x/a+/y", "$share//x", { qos: 1 } ]
  - name: devices
    count: 5
    clientId: "dev-{seq}"
    publish:
      topic: "cmd/#/{target}"
      qos: 1
      rate: 2000/s
      every: 1s
      payload: { size: 16 }
      targets: devics
  - name: c
    count: 2
    publish: { topic: "a/{target}", payload: { size: 1GB } }
  - 5
  - {}
`, { PW: 'hunter2' });
  run(`name: x\ngroups: [ {name: a, count: \${N}, publish: {topic: "t/\${SECRET}", rate: \${SECRET}}} ]\n`, { N: '3', SECRET: 'topsecret' });
  run(`name: x\ntarget: { password: "\${PW}", username: "\${USER}" }\ngroups: [ {name: a, count: "\${N}", publish: {topic: "t/\${SECRET}", rate: "\${SECRET}", every: "\${MISSING}"}} ]\n`, { N: '3', SECRET: 'topsecret', PW: 'x' });
  run(`name: x\ngroups: [ {name: a, count: "\${N}", subscribe: ["t/\${SECRET}"], publish: {topic: "t/\${SECRET}", every: "\${E}"}} ]\ndrain: "\${E}"\n`, { N: '3', SECRET: 'topsecret', E: '2s' });
  run('');
  run('# only comment\n');
  run('- a\n- b\n');
  run('a: [1\n');
  run('name: x\ngroups: []\n');
  run('name: x\n');
  run('name: x\ngroups:\n  - name: a\n    count:\n');
});
