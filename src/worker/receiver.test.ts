import { describe, expect, it } from 'vitest';
import { SubscriptionIndex } from '../metrics/ledger.js';
import { Recorder } from '../metrics/recorder.js';
import { SeqBitmap } from '../metrics/seqBitmap.js';
import { allocateShareRecords, ShareLedger, shareGroups } from '../metrics/shareLedger.js';
import type { Counters } from '../metrics/types.js';
import { buildRunPlan } from '../plan/plan.js';
import { parseScenarioText } from '../scenario/load.js';
import { loaded } from '../../test/helpers/scenario.js';
import type { QoS } from '../scenario/model.js';
import { FakeClock } from '../shared/fakeClock.js';
import { Device } from './device.js';
import { clientIdOf, compileGroupNames, filtersOf, plannedSubscriptions } from './naming.js';
import { encodePayload } from './payload.js';
import { Receiver } from './receiver.js';
import { decodeHistogram } from '../metrics/histogram.js';
import { startedTimeline, timelineOf } from '../plan/timeline.js';

const SELF = { eventLoopDelayMaxMs: 0, eventLoopDelayP99Ms: 0, busyMs: 0, intervalMs: 1000 };
const RUN_TAG = 0x5eed;

/**
 * The receive side of a scenario without threads or a broker: every client as a Device, the plan's
 * SubscriptionIndex counting what publishers expect, and one Receiver per "thread" (sharing the
 * run-wide bitmaps as worker threads do). Deliveries are handed in as a broker would make them.
 */
function harness(yaml: string, threads = 1) {
  const scenario = loaded(parseScenarioText(yaml, 'test.yaml', {})).scenario;
  const plan = buildRunPlan(scenario, { workers: 1, runId: 'r1', runTag: RUN_TAG });
  const clock = new FakeClock(1_000_000);
  const subs = [...plannedSubscriptions(scenario, plan.clientBase, plan.slotBase, plan.runId)];
  const receivable = new Uint8Array(Math.max(1, plan.totals.subscriptionSlots));
  const index = new SubscriptionIndex(subs);
  const delivered = new SeqBitmap(plan.seqLayout);
  const shareBuffers = allocateShareRecords(shareGroups(subs), plan.seqLayout);
  // Publishing started at 0 and never ends: every delivery is measured.
  const timeline = startedTimeline(timelineOf({ warmupMs: 0, durationMs: Infinity, drainMs: 0 }, 0));
  const recorders = Array.from({ length: threads }, (_, i) => new Recorder(i, timeline));
  const receivers = recorders.map((rec) => new Receiver(clock, rec, RUN_TAG, delivered, new ShareLedger(shareBuffers, plan.seqLayout), timeline));
  const devices = scenario.groups.flatMap((g, gi) => {
    const names = compileGroupNames(scenario, g);
    return Array.from({ length: g.count }, (_, i) => {
      const filters = filtersOf(names, g, i, plan.runId);
      return new Device(gi, g, names, i, plan.clientBase[gi] + i, clientIdOf(names, g, i, plan.runId), filters, plan.slotBase[gi] + i * filters.length);
    });
  });
  const seqs = new Map<number, number>();
  /** Publishes one message: counts what the index expects now; returns its payload. */
  const publish = (publisher: number, topic: string, qos: QoS, expected: Counters) => {
    const seq = seqs.get(publisher) ?? 0;
    seqs.set(publisher, seq + 1);
    const now = clock.now();
    const [e0, e1, e2] = index.expectedFor(topic, qos, receivable);
    expected.q0Expected += e0;
    expected.q1Expected += e1;
    expected.q2Expected += e2;
    return encodePayload(64, { qos, runTag: RUN_TAG, publisher, seq, intendedMs: now, sentMs: now });
  };
  const subscribe = (dev: Device, k: number, on: boolean) => dev.expecting(k, on ? dev.granted[k] : false, clock.now(), receivable);
  const totals = () => {
    const c = recorders.map((r) => r.snapshot(clock, 'measure', 0, SELF).measured);
    return Object.fromEntries(Object.keys(c[0]).map((k) => [k, c.reduce((n, x) => n + x[k as keyof Counters], 0)])) as unknown as Counters;
  };
  return { clock, devices, receivers, recorders, publish, subscribe, totals };
}

const zero = () => ({ q0Expected: 0, q1Expected: 0, q2Expected: 0 }) as Counters;

/**
 * One client with a QoS 0 wildcard (always) and a QoS 1 exact filter active only part of the time (the case of
 * issue 11, observation 6); one publisher at QoS 1.
 */
const overlapping = (name: string) => `
name: ${name}
target: { url: "mqtt://127.0.0.1:1" }
duration: 1s
groups:
  - name: sub
    count: 1
    subscribe: [ { topic: "o/{run}/#", qos: 0 }, { topic: "o/{run}/x", qos: 1, at: 300ms, until: 600ms } ]
  - name: pub
    count: 1
    publish: { topic: "o/{run}/x", qos: 1, rate: 10/s }
`;

describe('Receiver: each delivery counts under the QoS it arrived with', () => {
  const yaml = overlapping('overlap');
  it.each([
    ['MQTT 3.1.1 style: one copy, at the highest QoS of the active subscriptions', false],
    ['MQTT 5 mosquitto style: one copy per active subscription, each at its own QoS', true],
  ])('%s: expected and received agree per class; further copies are extra, not duplicates', (_name, copyPerSubscription) => {
    const h = harness(yaml);
    const [sub] = h.devices;
    const [rx] = h.receivers;
    const expected = zero();
    h.subscribe(sub, 0, true);
    const phases: [boolean, number][] = [
      [false, 120],
      [true, 50],
      [false, 70],
    ]; // QoS 1 filter off, on, off again
    let extras = 0;
    for (const [on, n] of phases) {
      h.subscribe(sub, 1, on);
      for (let i = 0; i < n; i++) {
        h.clock.advance(1);
        const payload = h.publish(1, 'o/r1/x', 1, expected);
        const copies: QoS[] = !on ? [0] : copyPerSubscription ? [0, 1] : [1];
        for (const q of copies) rx.onMessage(sub, 'o/r1/x', payload, q, false);
        extras += copies.length - 1;
      }
    }
    const c = h.totals();
    expect([expected.q0Expected, expected.q1Expected]).toEqual([190, 50]);
    expect([c.q0Unique, c.q1Unique, c.q2Unique]).toEqual([190, 50, 0]);
    expect([c.duplicated, c.extraCopies, c.received]).toEqual([0, extras, 240]);
  });

  it('a broker that sends only the lower-QoS copy while the QoS 1 filter is active: the owed QoS 1 copies are missing', () => {
    const h = harness(yaml);
    const [sub] = h.devices;
    const expected = zero();
    h.subscribe(sub, 0, true);
    h.subscribe(sub, 1, true);
    for (let i = 0; i < 10; i++) {
      h.clock.advance(1);
      h.receivers[0].onMessage(sub, 'o/r1/x', h.publish(1, 'o/r1/x', 1, expected), 0, false);
    }
    const c = h.totals();
    expect(expected.q1Expected).toBe(10);
    expect([c.q1Unique, c.q0Unique, c.extraCopies]).toEqual([0, 0, 10]);
  });
});

describe('Receiver: a subscription being made or ended (between SUBSCRIBE and SUBACK, until and UNSUBACK)', () => {
  const yaml = overlapping('transitions');
  it.each([
    ['one copy at the higher QoS (MQTT 3.1.1 style)', [1], { q0Unique: 1, q1Unique: 0, extraCopies: 0, duplicated: 0 }],
    ['a copy per subscription (MQTT 5 style)', [0, 1], { q0Unique: 1, q1Unique: 0, extraCopies: 1, duplicated: 0 }],
    ['a copy per subscription and one more', [1, 0, 0], { q0Unique: 1, q1Unique: 0, extraCopies: 1, duplicated: 1 }],
  ] as [string, QoS[], Partial<Counters>][])('%s: owed at QoS 0 as publishers counted it, not lost, not a duplicate', (_name, copies, want) => {
    for (const phase of ['subscribing', 'unsubscribing'] as const) {
      const h = harness(yaml);
      const [sub] = h.devices;
      const expected = zero();
      h.subscribe(sub, 0, true);
      if (phase === 'subscribing')
        sub.asked[1] = h.clock.now(); // SUBSCRIBE sent, no SUBACK yet
      else {
        sub.asked[1] = h.clock.now();
        h.subscribe(sub, 1, true);
        h.clock.advance(10);
        h.subscribe(sub, 1, false); // `until`: publishers stop counting it; UNSUBACK not yet in
        sub.released[1] = Infinity;
      }
      h.clock.advance(1);
      const p = h.publish(1, 'o/r1/x', 1, expected);
      for (const q of copies) h.receivers[0].onMessage(sub, 'o/r1/x', p, q, false);
      const c = h.totals();
      expect([expected.q0Expected, expected.q1Expected]).toEqual([1, 0]);
      expect(c).toMatchObject(want);
    }
  });
});

describe('Receiver: $share groups across threads', () => {
  const yaml = `
name: share
target: { url: "mqtt://127.0.0.1:1", mqttVersion: 5 }
duration: 3s
groups:
  - name: workers
    count: 4
    subscribe: [ { topic: "$share/g/s/{run}/#", qos: 1 } ]
  - name: solo
    count: 1
    subscribe: [ { topic: "$share/alone/s/{run}/#", qos: 1 } ]
  - name: pub
    count: 1
    publish: { topic: "s/{run}/t", qos: 1, rate: 10000/s }
`;
  it('a message delivered to two members in different threads is one duplicate of the group, also 20,000 messages later', () => {
    const h = harness(yaml, 2);
    const workers = h.devices.slice(0, 4);
    const solo = h.devices[4];
    for (const d of [...workers, solo]) h.subscribe(d, 0, true);
    const expected = zero();
    const payloads: Buffer[] = [];
    for (let i = 0; i < 20_500; i++) {
      const p = h.publish(5, 's/r1/t', 1, expected);
      payloads.push(p);
      h.receivers[i % 2].onMessage(workers[i % 4], 's/r1/t', p, 1, false); // members 0, 2 in thread 0; 1, 3 in thread 1
      h.receivers[0].onMessage(solo, 's/r1/t', p, 1, false);
    }
    // Redelivered to another member (other thread): the first message, one from the middle, and the last.
    for (const i of [0, 10_001, 20_499]) h.receivers[(i + 1) % 2].onMessage(workers[(i + 1) % 4], 's/r1/t', payloads[i], 1, false);
    h.receivers[0].onMessage(solo, 's/r1/t', payloads[7], 1, false);
    const c = h.totals();
    expect(expected.q1Expected).toBe(2 * 20_500);
    expect([c.q1Unique, c.duplicated, c.q1Duplicated, c.unverifiable]).toEqual([2 * 20_500, 4, 4, 0]);
  });
});

describe('Receiver: messages of other mqbench runs (groups[].fromOtherRuns)', () => {
  const yaml = (fromOtherRuns: boolean) => `
name: listen
target: { url: "mqtt://127.0.0.1:1" }
groups:
  - name: sub
    count: 1
    subscribe: [ "bench/#" ]
    fromOtherRuns: ${fromOtherRuns}
`;
  /** Another run's message (another run tag, a publisher index this run does not have), sent 5 ms ago. */
  const other = (now: number, seq: number, size = 64) =>
    encodePayload(size, { qos: 0, runTag: RUN_TAG + 1, publisher: 777, seq, intendedMs: now - 5, sentMs: now - 2 });

  it('times them end to end and counts them as otherRuns, never in the ledger (nothing expected, lost or duplicated)', () => {
    const h = harness(yaml(true));
    const [sub] = h.devices;
    h.subscribe(sub, 0, true);
    for (let i = 0; i < 10; i++) {
      h.clock.advance(1);
      const p = other(h.clock.now(), i % 5); // every sequence number twice: still no duplicates judged
      h.receivers[0].onMessage(sub, 'bench/a', p, 0, false);
    }
    h.receivers[0].onMessage(sub, 'bench/a', Buffer.from('plain text'), 0, false);
    h.receivers[0].onMessage(sub, 'bench/a', other(h.clock.now(), 99, 20), 0, false); // compact header: its run tag cannot be checked
    const snap = h.recorders[0].snapshot(h.clock, 'measure', 0, SELF);
    const c = snap.measured;
    expect([c.otherRuns, c.received, c.expected, c.duplicated, c.foreign, c.receivedInWindow]).toEqual([10, 0, 0, 0, 2, 10]);
    const e2e = decodeHistogram(snap.measuredHistograms.endToEnd);
    const uncorrected = decodeHistogram(snap.measuredHistograms.endToEndUncorrected);
    expect([e2e.totalCount, uncorrected.totalCount]).toEqual([10, 10]);
    expect(e2e.minNonZeroValue).toBeGreaterThan(4_900); // µs: 5 ms from the intended send time
    expect(uncorrected.maxValue).toBeLessThan(2_100); // 2 ms from the actual send
  });

  it('without fromOtherRuns they stay foreign and untimed', () => {
    const h = harness(yaml(false));
    const [sub] = h.devices;
    h.subscribe(sub, 0, true);
    h.receivers[0].onMessage(sub, 'bench/a', other(h.clock.now(), 0), 0, false);
    const c = h.totals();
    expect([c.otherRuns, c.foreign, c.received]).toEqual([0, 1, 0]);
  });
});
