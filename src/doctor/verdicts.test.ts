import { describe, expect, it } from 'vitest';
import { isLocalHost, isLoopback, scenarioNeeds } from './doctor.js';
import { parseScenarioText } from '../scenario/load.js';
import { judgeBrokerVersion, judgeConnect, judgeLatency, judgeMaxQos, judgeReachable, judgeRetain, judgeShared, median } from './verdicts.js';
import { loaded } from '../../test/helpers/scenario.js';

describe('broker verdicts', () => {
  it('reachability', () => {
    expect(judgeReachable('127.0.0.1:1883', null, 0.2)).toMatchObject({ status: 'ok', finding: '127.0.0.1:1883 accepts TCP connections (1 ms)' });
    expect(judgeReachable('127.0.0.1:1', 'ECONNREFUSED', 1)).toMatchObject({ status: 'FAIL', finding: '127.0.0.1:1: ECONNREFUSED' });
  });

  it('connect: refusal words; FAIL only when the scenario needs that version', () => {
    expect(judgeConnect(5, true, true)).toMatchObject({ status: 'ok', what: 'MQTT 5', finding: 'connect accepted' });
    const refused = judgeConnect(5, 'CONNACK refused: Unsupported protocol version', false);
    expect(refused).toMatchObject({ status: 'WARN', finding: 'connect not accepted: CONNACK refused: Unsupported protocol version' });
    expect(judgeConnect(4, 'CONNACK refused: Not authorized', true)).toMatchObject({ status: 'FAIL', what: 'MQTT 3.1.1' });
    expect(judgeConnect(4, 'CONNACK refused: Not authorized', true).note).toMatch(/target\.username/);
  });

  it('max QoS: granted QoS, and says when CONNACK Maximum QoS could not be read', () => {
    expect(judgeMaxQos(2, 5, null, 0)).toMatchObject({ status: 'ok', finding: expect.stringMatching(/granted QoS 2; CONNACK Maximum QoS not read/) });
    expect(judgeMaxQos(2, 4, null, 0).finding).toBe('subscribe at QoS 2 → granted QoS 2');
    expect(judgeMaxQos(1, 4, null, 1).status).toBe('WARN');
    expect(judgeMaxQos(1, 4, null, 2).status).toBe('FAIL');
    expect(judgeMaxQos(2, 5, 1, 2)).toMatchObject({ status: 'FAIL', finding: expect.stringMatching(/CONNACK Maximum QoS 1/) });
    expect(judgeMaxQos(128, 4, null, 0).status).toBe('WARN');
  });

  it('retain', () => {
    expect(judgeRetain({ arrived: true, retainFlag: true, cleared: true }, false).status).toBe('ok');
    expect(judgeRetain({ arrived: false, retainFlag: false, cleared: true }, false).status).toBe('WARN');
    expect(judgeRetain({ arrived: false, retainFlag: false, cleared: true }, true).status).toBe('FAIL');
    expect(judgeRetain({ arrived: true, retainFlag: false, cleared: true }, false).finding).toMatch(/without the retain flag/);
    expect(judgeRetain({ arrived: true, retainFlag: true, cleared: false }, false).status).toBe('WARN');
    const wildcard = judgeRetain({ arrived: false, retainFlag: false, cleared: true, filter: 'd/retain-w/+' }, true);
    expect(wildcard).toMatchObject({
      status: 'FAIL',
      what: 'retain to wildcards',
      finding: 'a retained message was not delivered to a new subscription to d/retain-w/+',
    });
    expect(wildcard.note).toMatch(/only against exact topics/);
  });

  it('shared subscriptions: each message exactly once across the two', () => {
    const filter = '$share/doctor/x/t';
    const good = judgeShared({ filter, refused: false, deliveries: Array(10).fill(1), perSubscriber: [6, 4] }, false);
    expect(good).toMatchObject({ status: 'ok', finding: '$share/doctor/x/t: 10 messages, each delivered exactly once across 2 subscribers (6 + 4)' });
    expect(judgeShared({ filter, refused: false, deliveries: Array(10).fill(0), perSubscriber: [0, 0] }, false).note).toMatch(/not supported/);
    expect(judgeShared({ filter, refused: false, deliveries: Array(10).fill(2), perSubscriber: [10, 10] }, true)).toMatchObject({
      status: 'FAIL',
      finding: expect.stringMatching(/both subscribers/),
    });
    expect(judgeShared({ filter, refused: false, deliveries: [1, 1, 2, 0], perSubscriber: [2, 2] }, false).finding).toMatch(
      /2 arrived once, 1 more than once, 1 not at all/,
    );
    expect(judgeShared({ filter, refused: true, deliveries: [], perSubscriber: [0, 0] }, false).status).toBe('WARN');
  });

  it('broker version', () => {
    expect(judgeBrokerVersion('mosquitto version 2.0.11').finding).toBe('mosquitto version 2.0.11 ($SYS/broker/version)');
    expect(judgeBrokerVersion(undefined).status).toBe('ok');
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  describe('TCP_NODELAY hint', () => {
    const burst = (first: number, later: number) => [first, later, later, later];
    it('fast loopback is ok', () => {
      expect(judgeLatency(Array(5).fill(burst(0.4, 0.5)), true, 20)).toMatchObject({
        status: 'ok',
        finding: 'publish→receive median 0.50 ms over 20 QoS 0 messages (loopback)',
      });
    });
    it('later messages of each burst held back ~40 ms: Nagle', () => {
      const c = judgeLatency(Array(5).fill(burst(0.4, 42)), true, 20);
      expect(c.status).toBe('WARN');
      expect(c.finding).toMatch(/median 42\.00 ms .*looks like Nagle's algorithm: set set_tcp_nodelay true in mosquitto\.conf/);
    });
    it('a whole burst slow alike is a busy machine, not Nagle', () => {
      const c = judgeLatency(Array(5).fill(burst(8, 8.2)), true, 20);
      expect(c.status).toBe('WARN');
      expect(c.finding).toMatch(/not Nagle's pattern/);
    });
    it('over a network only a large stall warns', () => {
      expect(judgeLatency(Array(5).fill(burst(20, 20.5)), false, 20).status).toBe('ok');
      expect(judgeLatency(Array(5).fill(burst(20, 60)), false, 20).status).toBe('WARN');
    });
    it('too few messages back', () => {
      expect(judgeLatency([[1], [1]], true, 20).finding).toMatch(/only 2 of 20/);
    });
  });
});

describe('what the scenario needs and where the broker is', () => {
  it('reads QoS, retain and $share from the scenario', () => {
    const yaml = `
name: n
target: { url: "mqtt://127.0.0.1:1883", mqttVersion: 5 }
duration: 1s
groups:
  - name: s
    count: 2
    subscribe: [ { topic: "$share/g/t/#", qos: 1 } ]
  - name: p
    count: 1
    publish: { topic: "t/{i}", qos: 2, retain: true, rate: 10/s, payload: { size: 64 } }
`;
    const { scenario } = loaded(parseScenarioText(yaml, 'n.yaml', {}));
    expect(scenarioNeeds(scenario)).toEqual({ version: true, qos: 2, retain: true, retainWildcard: false, shared: true });
  });

  it('loopback and local addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLocalHost('10.0.0.1', ['10.0.0.1'])).toBe(true);
    expect(isLocalHost('broker.example', ['10.0.0.1'])).toBe(false);
  });
});
