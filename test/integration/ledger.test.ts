import { describe, expect, it } from 'vitest';
import { useFaultProxy } from '../helpers/useFaultProxy.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { injector } from '../helpers/injector.js';
import { observe } from '../helpers/observer.js';
import { runYaml } from '../helpers/runScenario.js';

/**
 * The receive-side ledger against independent truth: a second, plain mqtt.js client that re-publishes
 * captured mqbench payloads (each one a duplicate for every subscriber that receives it), a fault proxy
 * that duplicates frames and counts them, and an observer that counts what the broker carried.
 */

/**
 * One MQTT 5 publisher (QoS 0, 64-byte payloads) on one topic; `plain` plain subscribers and a $share group
 * of `pool` members, all subscribed at `qos`.
 */
const plainAndPool = (o: {
  name: string;
  url: string;
  duration: string;
  drain: string;
  topic: string;
  qos: 0 | 1;
  plain: number;
  pool: number;
  rate: string;
}) => `
name: ${o.name}
target: { url: "${o.url}", mqttVersion: 5 }
duration: ${o.duration}
drain: ${o.drain}
groups:
  - name: plain
    count: ${o.plain}
    connect: { rate: 1000/s }
    subscribe: [ { topic: "${o.topic}", qos: ${o.qos} } ]
  - name: pool
    count: ${o.pool}
    connect: { rate: 1000/s }
    subscribe: [ { topic: "$share/pool/${o.topic}", qos: ${o.qos} } ]
  - name: pub
    count: 1
    publish: { topic: "${o.topic}", qos: 0, rate: ${o.rate}, payload: { size: 64 } }
`;

describe('duplicates against a second client that re-publishes captured payloads (mosquitto)', () => {
  const mosq = useMosquitto();

  it('every re-published message a subscriber receives is one duplicate: plain subscribers, a $share group over 2 threads, > 20,000 messages old', async () => {
    const runId = Math.random().toString(16).slice(2, 8);
    const topic = `d/${runId}/t`;
    // 30,000 messages from one publisher (QoS 0: no in-flight window holds it back); 2 plain subscribers and a
    // $share group of 4 (2 per worker thread), all subscribed at QoS 1, so the re-published copies (QoS 1) are delivered.
    const yaml = plainAndPool({
      name: 'dup-injection',
      url: mosq.url,
      duration: '6s',
      drain: '3s',
      topic: 'd/{run}/t',
      qos: 1,
      plain: 2,
      pool: 4,
      rate: '5000/s',
    });
    // Old messages (the first ones) and recent ones, re-published once message 21,000 has gone by (the run
    // then still publishes for almost 2 s: the copies arrive before the subscribers stop).
    const inj = await injector(mosq.url, topic, [0, 1, 2, 500, 20_900], 21_000);
    const { results } = await runYaml(yaml, 2, { runId });
    const republished = await Promise.race([
      inj.done,
      new Promise<number>((_, no) => setTimeout(() => no(new Error('the injector never saw message 21,000')), 20_000)),
    ]);
    await inj.close();
    expect(republished).toBe(5);
    const m = results.summary.messages;
    // Each re-published copy reaches the 2 plain subscribers and the group (QoS 1: delivered): 3 duplicates each,
    // counted under the QoS 0 their originals were owed at.
    expect(m.duplicated).toBe(republished * 3);
    expect(results.summary.byQos['0']?.duplicated).toBe(republished * 3);
    expect(m.lost).toBe(0);
    expect(m.sent).toBeGreaterThan(21_000);
    expect(m.unverifiable).toBe(0);
  });
});

describe('duplicates against the fault proxy (QoS 0 frames written twice)', () => {
  const { proxy } = useFaultProxy();

  it('duplicated equals what the proxy duplicated, to plain subscribers and $share members in 2 threads, over 20,000 messages', async () => {
    const yaml = plainAndPool({
      name: 'dup-proxy',
      url: proxy.url,
      duration: '5s',
      drain: '2s',
      topic: 'p/{run}/t',
      qos: 0,
      plain: 1,
      pool: 2,
      rate: '4000/s',
    });
    proxy.setRules({ duplicateEvery: 50 });
    const before = proxy.counts();
    const { results } = await runYaml(yaml, 2);
    const after = proxy.counts();
    proxy.setRules({});
    const duplicated = after.duplicated - before.duplicated;
    expect(duplicated).toBeGreaterThan(400);
    const m = results.summary.messages;
    expect(m.duplicated).toBe(duplicated);
    expect(after.publishes - before.publishes).toBe(m.received - m.duplicated); // every delivery crossed the proxy once
    expect(m.lost).toBe(0);
  });
});

describe('overlapping subscriptions, one active part of the time: each delivery counts under the QoS it arrived with', () => {
  const { proxy } = useFaultProxy(); // no faults: it counts every delivery

  it.each([
    ['3.1.1', false],
    ['5', true],
  ])('MQTT %s (further copies per subscription: %s): no class shows loss, every delivery is accounted', async (version, copies) => {
    const yaml = `
name: overlap
target: { url: "${proxy.url}", mqttVersion: ${version} }
duration: 3s
drain: 2s
groups:
  - name: sub
    count: 2
    connect: { rate: 1000/s }
    subscribe: [ { topic: "o/{run}/#", qos: 0 }, { topic: "o/{run}/{i}", qos: 1, at: 1s, until: 2s } ]
  - name: pub
    count: 1
    publish: { topic: "o/{run}/{target}", targets: sub, qos: 1, rate: 200/s, payload: { size: 64 } }
`;
    const before = proxy.counts().publishes;
    const { results } = await runYaml(yaml, 2);
    const deliveries = proxy.counts().publishes - before;
    const q = results.summary.byQos;
    const m = results.summary.messages;
    // 3 s at 200/s: about 1 s of it with both filters (QoS 1 owed), 2 s with the wildcard only (QoS 0).
    expect(q['0']!.expected).toBeGreaterThan(300);
    expect(q['1']!.expected).toBeGreaterThan(150);
    expect([q['0']!.lost, q['1']!.lost, m.duplicated]).toEqual([0, 0, 0]);
    expect(q['0']!.received).toBe(q['0']!.expected);
    expect(q['1']!.received).toBe(q['1']!.expected);
    // Every PUBLISH the broker sent the subscribers is a unique delivery or a further copy MQTT allows.
    expect(m.received + m.extraCopies).toBe(deliveries);
    // Under MQTT 5 mosquitto also sends the QoS 0 copy while the QoS 1 filter exists (at least one per owed QoS 1 message).
    if (copies) expect(m.extraCopies).toBeGreaterThanOrEqual(q['1']!.expected);
    else expect(m.extraCopies).toBe(0);
  });
});

describe('entitlement follows the session (MQTT 5, persistent sessions dropped by an event)', () => {
  const mosq = useMosquitto();

  // Half the devices drop at 1 s and come back at 3 s. The back end pauses around both moments (0.9–1.1 s,
  // 2.5–3.5 s): no message is in flight when a connection dies (one the broker had not delivered yet would
  // go with an ended session, and the ledger cannot tell it from loss: see README), and none is sent between
  // CONNACK and SUBACK. Every message sent while they were away was sent between 1.1 s and 2.5 s.
  const yaml = (url: string, expiry: string) => `
name: sessions
target: { url: "${url}", mqttVersion: 5 }
duration: 4s
drain: 3s
groups:
  - name: devices
    count: 20
    clientId: "se-{run}-{i}"
    connect: { rate: 5000/s, clean: false, sessionExpiry: ${expiry} }
    subscribe: [ { topic: "se/{run}/{i}", qos: 1 } ]
  - name: backend
    count: 1
    publish: { topic: "se/{run}/{target}", targets: devices, qos: 1, rate: 400/s, payload: { size: 64 } }
events:
  - at: 900ms
    pause: { group: backend }
  - at: 1s
    disconnect: { group: devices, fraction: 0.5, abrupt: true, reconnectAfter: 2s, jitter: 0s }
  - at: 1100ms
    resume: { group: backend }
  - at: 2500ms
    pause: { group: backend }
  - at: 3500ms
    resume: { group: backend }
`;

  /** Runs `yaml` on 2 workers with a plain observer on mosquitto; returns the results and what the broker carried. */
  async function watchedRun(yaml: string, runId: string, driver?: string) {
    const watch = await observe(mosq.url, `se/${runId}/+`);
    const { results } = await runYaml(yaml, 2, { runId, ...(driver ? { driver } : {}) });
    const carried = watch.count();
    await watch.close();
    return { results, carried };
  }

  it.each(['mqttjs', 'lean'])(
    '%s: session expired while away (session present = 0): what was sent meanwhile is not entitled, nothing is lost',
    async (driver) => {
      const runId = Math.random().toString(16).slice(2, 8);
      const { results, carried } = await watchedRun(yaml(mosq.url, '1s'), runId, driver);
      const m = results.summary.messages;
      expect(results.summary.connections.droppedBack).toBe(10);
      expect(m.lost).toBe(0);
      // 10 of 20 devices away for 1.4 s of sending at 400/s: about 280 messages.
      expect(m.notEntitled).toBeGreaterThan(200);
      expect(m.notEntitled).toBeLessThan(360);
      expect(results.summary.byQos['1']?.notEntitled).toBe(m.notEntitled);
      // The observer saw every message the broker carried; the devices got all but those sent while they were away.
      expect(carried).toBe(m.sent);
      expect(m.received - m.duplicated).toBe(carried - m.notEntitled);
      expect(m.expected + m.notEntitled).toBe(m.sent);
      expect(results.summary.verdicts[0]).toContain(`${m.notEntitled.toLocaleString('en-US')} not entitled (session ended)`);
    },
  );

  it('session kept (session present = 1): the queued messages are delivered, nothing is not entitled or lost', async () => {
    const runId = Math.random().toString(16).slice(2, 8);
    const { results, carried } = await watchedRun(yaml(mosq.url, '1h'), runId);
    const m = results.summary.messages;
    expect(results.summary.connections.droppedBack).toBe(10);
    expect([m.lost, m.notEntitled, m.awayAtEnd]).toEqual([0, 0, 0]);
    expect(carried).toBe(m.sent);
    expect(m.expected).toBe(m.sent);
    expect(m.received - m.duplicated).toBe(m.expected);
  });

  it('still away when the run ends (MQTT 3.1.1, session kept): what the broker queued for it is awayAtEnd, not lost', async () => {
    const runId = Math.random().toString(16).slice(2, 8);
    const away = yaml(mosq.url, '1h')
      .replace('mqttVersion: 5', 'mqttVersion: 3.1.1')
      .replace('reconnectAfter: 2s', 'reconnectAfter: 60s')
      .replace(/ {2}- at: 2500ms\n {4}pause: \{ group: backend \}\n {2}- at: 3500ms\n {4}resume: \{ group: backend \}\n/, '');
    const { results, carried } = await watchedRun(away, runId);
    const m = results.summary.messages;
    expect(results.summary.connections).toMatchObject({ dropped: 10, droppedBack: 0 });
    expect([m.lost, m.notEntitled]).toEqual([0, 0]);
    // 10 of 20 devices away from 1.1 s to the end of 4 s of sending at 400/s: about 580 messages.
    expect(m.awayAtEnd).toBeGreaterThan(450);
    expect(m.awayAtEnd).toBeLessThan(700);
    expect(results.summary.byQos['1']?.awayAtEnd).toBe(m.awayAtEnd);
    expect(carried).toBe(m.sent);
    expect(m.expected + m.awayAtEnd).toBe(m.sent);
    expect(m.received - m.duplicated).toBe(m.expected);
  });
});
