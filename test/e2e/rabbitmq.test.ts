/**
 * A real RabbitMQ 3.x (its MQTT plugin): it grants QoS 1 to QoS 2 subscriptions, acknowledges QoS 2 publishes
 * with PUBACK, takes `$share/...` as a literal topic (SUBACK grants it, nothing arrives) and does not deliver
 * retained messages to wildcard filters. mqbench must report each as "the broker does not offer …", judge the
 * guarantee in effect, and count none of it as loss (lost 0, exit code not 3).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanDriver } from '../../src/driver/lean.js';
import { mqttjsDriver } from '../../src/driver/mqttjs.js';
import type { AckKind, Driver } from '../../src/driver/driver.js';
import type { Results } from '../../src/metrics/types.js';
import { mqbench } from '../helpers/cli.js';
import { RABBITMQ_MISSING, rabbitmqAvailable, startRabbitMQ, type RabbitHandle } from '../helpers/rabbitmq.js';

const available = rabbitmqAvailable();
if (!available) console.warn(RABBITMQ_MISSING);

const SCENARIO = (url: string) => `
name: rabbit-capabilities
target: { url: "${url}", mqttVersion: 3.1.1 }
warmup: 500ms
duration: 2s
drain: 2s
groups:
  - name: devices
    count: 10
    clientId: "rc-dev-{run}-{i}"
    subscribe: [ { topic: "rc/{run}/cmd/{i}", qos: 2 } ]
  - name: workers
    count: 3
    clientId: "rc-wrk-{run}-{i}"
    subscribe: [ { topic: "$share/g/rc/{run}/jobs", qos: 1 } ]
  - name: late
    count: 2
    clientId: "rc-late-{run}-{i}"
    subscribe: [ { topic: "rc/{run}/state/+", qos: 1, at: 1500ms } ]
  - name: backend
    count: 1
    clientId: "rc-back-{run}-{i}"
    publish: { topic: "rc/{run}/cmd/{target}", targets: devices, qos: 2, rate: 100/s, payload: { size: 64 } }
  - name: jobs
    count: 1
    clientId: "rc-jobs-{run}-{i}"
    publish: { topic: "rc/{run}/jobs", qos: 1, rate: 50/s, payload: { size: 64 } }
  - name: state
    count: 4
    clientId: "rc-state-{run}-{i}"
    publish: { topic: "rc/{run}/state/{i}", qos: 1, retain: true, rate: 8/s, payload: { size: 64 } }
thresholds:
  - "messages.lost == 0"
`;

describe.skipIf(!available)('RabbitMQ: capabilities it does not offer are reported, not counted as loss', () => {
  let rabbit: RabbitHandle;
  const tmp = mkdtempSync(join(tmpdir(), 'mqbench-rabbit-'));
  beforeAll(async () => {
    rabbit = await startRabbitMQ();
  });
  afterAll(async () => {
    await rabbit?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it.each([
    ['mqttjs', mqttjsDriver],
    ['lean', leanDriver],
  ] as [string, Driver][])('%s driver: SUBACK grants QoS 1 for QoS 2, a QoS 2 publish completes with PUBACK, $share gets nothing', async (_name, driver) => {
    const got: { topic: string; qos: number }[] = [];
    const conn = (id: string) =>
      driver.connect(
        { url: rabbit.url, clientId: `${id}-${driver.name}`, protocolVersion: 4, clean: true, keepaliveSec: 30, timeoutMs: 5000 },
        { onMessage: (topic, _p, qos) => got.push({ topic, qos }), onLost: () => undefined },
      );
    const sub = await conn('sub');
    const pub = await conn('pub');
    try {
      expect(
        await sub.subscribe([
          { topic: 'drv/q2', qos: 2 },
          { topic: '$share/g/drv/s', qos: 1 },
        ]),
      ).toEqual([1, 1]);
      const ack = await new Promise<[string | undefined, AckKind | undefined]>((resolve) =>
        pub.publish('drv/q2', Buffer.from('x'), 2, false, (e, a) => resolve([e?.message, a])),
      );
      expect(ack).toEqual([undefined, 'puback']);
      expect(pub.inflight()).toBe(0);
      await new Promise<void>((resolve) => pub.publish('drv/s', Buffer.from('y'), 1, false, () => resolve()));
      await new Promise((r) => setTimeout(r, 300));
      expect(got).toEqual([{ topic: 'drv/q2', qos: 1 }]); // delivered at the granted QoS; nothing through $share
    } finally {
      await sub.end();
      await pub.end();
    }
  });

  it.each(['mqttjs', 'lean'])(
    'mqbench run --driver %s: QoS 2 downgrade, no $share and no retained-to-wildcards as capabilities; lost 0; exit 0',
    async (driver) => {
      const file = join(tmp, `rabbit-${driver}.yaml`);
      const out = join(tmp, `rabbit-${driver}.json`);
      writeFileSync(file, SCENARIO(rabbit.url));
      const r = await mqbench(['run', file, '--out', out, '--quiet', '--driver', driver, '--workers', '1'], { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(readFileSync(out, 'utf8')) as Results;
      const s = res.summary;
      // Measured (after the 500 ms warm-up, 2 s): 200 QoS 2 publishes to the devices, 100 QoS 1 to the $share group.
      expect(s.messages.lost).toBe(0);
      expect(s.messages.expected).toBe(s.messages.received - s.messages.duplicated);
      expect(s.messages.expected).toBeGreaterThanOrEqual(199); // the devices' 200 (+ live state messages to the late subscribers)
      expect(s.byQos['2']).toBeUndefined(); // nothing was delivered under an exactly-once promise
      expect(s.byQos['1']?.ok).toBe(true);
      expect(s.capabilities?.subscriptionsDowngraded).toEqual({ '2→1': 10 });
      expect(Math.abs(s.capabilities!.qos2PublishedAsQos1 - 200)).toBeLessThanOrEqual(1); // every QoS 2 publish was acked with PUBACK
      expect(Math.abs(s.messages.notOffered - 100)).toBeLessThanOrEqual(1); // one per $share message (one group), none expected
      expect(s.messages.retainedExpected).toBe(0);
      expect(s.messages.retainedNotOffered).toBe(8); // 2 late subscribers × 4 retained topics
      expect(s.capabilities?.probed.map((p) => [p.feature, p.offered])).toEqual([
        ['shared subscriptions', false],
        ['retained messages to wildcard filters', false],
        ['QoS 2', false],
      ]);
      expect(s.verdicts).toContain('QoS 1: no loss, no duplicates');
      expect(s.verdicts.join('\n')).toMatch(
        new RegExp(
          `^The broker does not offer shared subscriptions \\(probe: .*none of 10 messages arrived\\): ${s.messages.notOffered.toLocaleString('en-US')} deliveries to \\$share filters not expected$`,
          'm',
        ),
      );
      expect(s.verdicts.join('\n')).toMatch(/^The broker does not offer QoS 2 subscriptions: SUBACK granted QoS 1 to 10 of them/m);
      expect(s.verdicts.join('\n')).toMatch(/^The broker does not offer QoS 2 publishing: \d+ QoS 2 publishes acknowledged with PUBACK \(run as QoS 1\)/m);
      expect(s.verdicts.join('\n')).toMatch(
        /^The broker does not offer retained messages to wildcard filters .*: 8 retained messages for late wildcard subscriptions not expected$/m,
      );
      expect(s.verdicts.join('\n')).not.toMatch(/broken/);
      expect(res.thresholds).toEqual([{ expression: 'messages.lost == 0', actual: 0, ok: true }]);
      expect(r.stdout).toMatch(/not offered by the broker +│ +[\d,]+ │/);
      expect(r.stderr).toMatch(/the broker does not offer shared subscriptions .*: deliveries to \$share filters are counted as not offered, not expected/);
    },
  );
});
