import { describe, expect, it } from 'vitest';
import { capabilitiesOf, capabilityCounters, offersFrom } from './capabilities.js';
import { zeroCounters } from './counters.js';
import { brokenPromises, deliveryByQos } from './qosVerdict.js';
import type { Counters } from './counterFields.js';
import type { ProbedCapability } from './summary.js';

const counters = (c: Partial<Counters>): Counters => ({ ...zeroCounters(), ...c });
const noShare: ProbedCapability = { feature: 'shared subscriptions', offered: false, finding: '$share/doctor/x/t: none of 10 messages arrived' };

describe('capabilities: what the broker does not offer, in words with counts', () => {
  it('a RabbitMQ-like run: QoS 2 subscriptions granted 1, QoS 2 publishes acked with PUBACK, $share taken as a topic', () => {
    const m = counters({ sub2to1: 200, pubQos2AsQos1: 5000, notOffered: 1200, q1Expected: 4000, q1Unique: 4000 });
    const c = capabilitiesOf(m, [noShare]);
    expect(c.subscriptionsDowngraded).toEqual({ '2→1': 200 });
    expect(c.qos2PublishedAsQos1).toBe(5000);
    expect(c.notOffered).toEqual([
      'the broker does not offer shared subscriptions (probe: $share/doctor/x/t: none of 10 messages arrived): 1,200 deliveries to $share filters not expected',
      'the broker does not offer QoS 2 subscriptions: SUBACK granted QoS 1 to 200 of them; their deliveries are judged at the granted QoS',
      'the broker does not offer QoS 2 publishing: 5,000 QoS 2 publishes acknowledged with PUBACK (run as QoS 1); their deliveries are judged as at least once',
    ]);
  });

  it('a refused $share filter says so; retained messages for wildcard filters; a QoS 1 subscription granted 0', () => {
    const c = capabilitiesOf(counters({ subRefusedShared: 3, notOffered: 30, retainedNotOffered: 8, sub1to0: 2 }), [
      { feature: 'retained messages to wildcard filters', offered: false, finding: 'a retained message was not delivered to a new subscription to x/+' },
    ]);
    expect(c.notOffered).toEqual([
      'the broker does not offer shared subscriptions (SUBACK refused 3 $share filters): 30 deliveries to $share filters not expected',
      'the broker does not offer retained messages to wildcard filters (probe: a retained message was not delivered to a new subscription to x/+): 8 retained messages for late wildcard subscriptions not expected',
      'the broker does not offer QoS 1 subscriptions: SUBACK granted QoS 0 to 2 of them; their deliveries are judged at QoS 0',
    ]);
  });

  it('a broker that offers everything: no sentences; an inconclusive probe is treated as offered', () => {
    const unsure: ProbedCapability = { feature: 'shared subscriptions', offered: null, finding: 'probe did not complete' };
    expect(capabilitiesOf(counters({ q2Expected: 10, q2Unique: 10 }), [unsure]).notOffered).toEqual([]);
    expect(offersFrom([unsure])).toEqual({ shared: true, retainedToWildcards: true });
    expect(offersFrom([noShare])).toEqual({ shared: false, retainedToWildcards: true });
  });

  it('round-trips through a recorded summary (for merge)', () => {
    const m = counters({ sub2to1: 4, sub2to0: 1, sub1to0: 2, subRefusedShared: 3, pubQos2AsQos1: 9, arrivedBelowQos: 5 });
    const back = capabilityCounters(capabilitiesOf(m, []));
    expect(back).toEqual({ sub2to1: 4, sub2to0: 1, sub1to0: 2, subRefusedShared: 3, pubQos2AsQos1: 9, arrivedBelowQos: 5 });
  });
});

describe('verdicts at the QoS in effect', () => {
  it('QoS 2 publishes the broker ran as QoS 1 are judged at least once: duplicates allowed, loss not', () => {
    const d = deliveryByQos(counters({ q2Expected: 100, q2Unique: 100, q2Duplicated: 3, pubQos2AsQos1: 100 }));
    expect(d.byQos['2']).toMatchObject({ ok: true, ranAs: 1 });
    expect(d.verdicts[0]).toBe('QoS 2 (run as QoS 1 by the broker: at least once): no loss, 3 duplicates (allowed)');
    const lossy = deliveryByQos(counters({ q2Expected: 100, q2Unique: 98, pubQos2AsQos1: 100 }));
    expect(lossy.verdicts[0]).toMatch(/2 lost, no duplicates — at-least-once broken$/);
  });

  it('brokenPromises: loss at QoS 1/2, duplicates at QoS 2 and missing retained messages; not QoS 0 loss', () => {
    const ok = {
      ...deliveryByQos(counters({ q0Expected: 10, q0Unique: 5, q1Expected: 10, q1Unique: 10, q1Duplicated: 2 })),
      messages: { retainedExpected: 4, retainedReceived: 4 },
    };
    expect(brokenPromises(ok as never)).toEqual([]);
    const bad = {
      ...deliveryByQos(counters({ q1Expected: 10, q1Unique: 9, q2Expected: 5, q2Unique: 5, q2Duplicated: 1 })),
      messages: { retainedExpected: 4, retainedReceived: 3 },
    };
    expect(brokenPromises(bad as never)).toEqual([
      'QoS 1: 1 lost, no duplicates — at-least-once broken',
      'QoS 2: no loss, 1 duplicate — exactly-once broken',
      'Retained: 1 of 4 retained messages never reached the late subscriptions — retain broken',
    ]);
  });
});
