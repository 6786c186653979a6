/**
 * Component tests of the worker runtime (WorkerRunner → Connector / Publisher / Receiver → Driver) on the
 * memory driver and the fake clock: exact counts, checked against what the broker model did.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemoryDriver } from '../../src/driver/memory.js';
import { runOnMemory } from '../helpers/runOnMemory.js';

interface Yaml {
  subs: number;
  subTopic: string;
  subQos?: 0 | 1 | 2;
  clean?: boolean;
  pubs?: number;
  pubTopic?: string;
  qos?: 0 | 1 | 2;
  rate?: number;
  mqtt?: 4 | 5;
  extra?: string;
  sessionExpiry?: string;
  pubClean?: boolean;
}

function yaml(o: Yaml): string {
  const expiry = o.sessionExpiry ? `, sessionExpiry: ${o.sessionExpiry}` : '';
  return `
name: component
target: { url: "mqtt://127.0.0.1:1883", mqttVersion: ${o.mqtt ?? 5} }
duration: 2s
drain: 1s
groups:
  - name: sub
    count: ${o.subs}
    clientId: "sub-{i}"
    connect: { rate: 1000/s, clean: ${o.clean ?? true}${expiry} }
    subscribe: [ { topic: "${o.subTopic}", qos: ${o.subQos ?? o.qos ?? 1} } ]
  - name: pub
    count: ${o.pubs ?? 1}
    clientId: "pub-{i}"
    connect: { rate: 1000/s, clean: ${o.pubClean ?? true} }
    publish: { topic: "${o.pubTopic ?? 't/{run}'}", qos: ${o.qos ?? 1}, rate: ${o.rate ?? 100}/s, payload: { size: 64 } }
${o.extra ?? ''}`;
}

describe('worker runtime on the memory driver (fake clock, exact counts)', () => {
  // The reconnect back-off's jitter comes from Math.random (no injected source yet): pinned, so runs repeat exactly.
  beforeEach(() => void vi.spyOn(Math, 'random').mockReturnValue(0.5));
  afterEach(() => void vi.restoreAllMocks());

  it('fan-out: 1 publisher to 4 subscribers, QoS 1: every copy expected and received once', async () => {
    const { results, run } = await runOnMemory(yaml({ subs: 4, subTopic: 't/{run}' }), { deliverDelayMs: 2, ackDelayMs: 1 });
    const m = results.summary.messages;
    const c = run.mem.counts;
    expect(m).toMatchObject({ planned: 200, sent: 200, unsent: 0, accepted: 200, acked: 200, expected: 800, received: 800, lost: 0, duplicated: 0 });
    expect([c.publishes, c.written, c.accepted, c.routed, c.delivered]).toEqual([200, 200, 200, 800, 800]);
  });

  it('latency on the fake clock is exactly the delays of the broker model', async () => {
    const { results } = await runOnMemory(yaml({ subs: 1, subTopic: 't/{run}' }), { deliverDelayMs: 3, ackDelayMs: 2 });
    const l = results.summary.latencyMs;
    // HDR histograms keep 3 significant digits.
    for (const [v, ms] of [
      [l.endToEnd.min, 3],
      [l.endToEnd.max, 3],
      [l.publishAck.min, 2],
      [l.publishAck.max, 2],
    ])
      expect(v).toBeCloseTo(ms, 2);
    expect(l.endToEnd.count).toBe(200);
  });

  it('fan-in with $share: 4 publishers, one group of 3 members: each message once, round-robin', async () => {
    const { results, run } = await runOnMemory(yaml({ subs: 3, subTopic: '$share/g/t/{run}/+', pubs: 4, pubTopic: 't/{run}/{i}' }), { record: true });
    const m = results.summary.messages;
    expect(m).toMatchObject({ sent: 200, expected: 200, received: 200, lost: 0, duplicated: 0 });
    const per = ['sub-0', 'sub-1', 'sub-2'].map((id) => run.mem.log.filter((a) => a.clientId === id).length);
    expect(per.sort()).toEqual([66, 67, 67]);
  });

  it('$share over 2 worker threads, a broker that gives every 10th message to two members: 20 group duplicates', async () => {
    const { results, run } = await runOnMemory(
      yaml({ subs: 4, subTopic: '$share/g/t/{run}/+', pubs: 2, pubTopic: 't/{run}/{i}' }),
      { record: true },
      { workers: 2, setup: (mem) => mem.faults.shareTwice({ every: 10 }) },
    );
    const byClient = new Set(run.mem.log.map((a) => a.clientId));
    expect([run.mem.counts.sharedTwice, byClient.size]).toEqual([20, 4]);
    expect(results.summary.messages).toMatchObject({ sent: 200, expected: 200, received: 220, duplicated: 20, lost: 0 });
  });

  it('QoS 1 with injected duplicates: counted as duplicates, nothing lost', async () => {
    const { results, run } = await runOnMemory(yaml({ subs: 2, subTopic: 't/{run}' }), {}, { setup: (mem) => mem.faults.duplicateDeliveries({ every: 10 }) });
    const m = results.summary.messages;
    expect(run.mem.counts.duplicated).toBe(40);
    expect(m).toMatchObject({ sent: 200, expected: 400, received: 440, duplicated: 40, lost: 0 });
  });

  it('QoS 0 with injected drops: exactly the dropped copies are lost', async () => {
    const { results, run } = await runOnMemory(yaml({ subs: 2, subTopic: 't/{run}', qos: 0 }), {}, { setup: (mem) => mem.faults.dropDeliveries({ every: 7 }) });
    const m = results.summary.messages;
    expect(run.mem.counts.dropped).toBe(57);
    expect(m).toMatchObject({ sent: 200, expected: 400, received: 343, lost: 57, duplicated: 0 });
  });

  it('a persistent subscriber dropped by the broker: queued while away, resumed, nothing lost', async () => {
    const { results, run } = await runOnMemory(
      yaml({ subs: 2, subTopic: 't/{run}', clean: false }),
      {},
      {
        script: (r, t) => {
          if (t === 1000) r.mem.kill('sub-0');
        },
      },
    );
    const m = results.summary.messages;
    const c = run.mem.counts;
    expect([c.lost, c.sessionsResumed]).toEqual([1, 1]);
    expect(c.queued).toBeGreaterThan(0);
    expect(m).toMatchObject({ sent: 200, expected: 400, received: 400, lost: 0, duplicated: 0 });
    expect(results.summary.connections).toMatchObject({ lost: 1, reconnected: 1 });
  });

  it('a clean subscriber dropped by the broker: what it missed while away is not expected, not lost', async () => {
    const { results, run } = await runOnMemory(
      yaml({ subs: 2, subTopic: 't/{run}' }),
      {},
      {
        script: (r, t) => {
          if (t === 1000) r.mem.kill('sub-0');
        },
      },
    );
    const m = results.summary.messages;
    expect(m.received).toBe(run.mem.counts.delivered);
    expect(m).toMatchObject({ sent: 200, lost: 0, duplicated: 0 });
    expect(m.expected).toBe(m.received);
    expect(m.expected).toBeLessThan(400);
  });

  it('QoS 2 with injected duplicates: the client drops the resends before PUBREL, nothing duplicated', async () => {
    const { results, run } = await runOnMemory(
      yaml({ subs: 2, subTopic: 't/{run}', qos: 2 }),
      {},
      { setup: (mem) => mem.faults.duplicateDeliveries({ every: 10 }) },
    );
    expect([run.mem.counts.duplicated, run.mem.counts.qos2DuplicatesIgnored]).toEqual([40, 40]);
    expect(results.summary.messages).toMatchObject({ sent: 200, acked: 200, expected: 400, received: 400, duplicated: 0, lost: 0 });
  });

  it('a RabbitMQ-like broker (max QoS 1, QoS 2 run as QoS 1): downgrades counted as what the broker offers, nothing lost', async () => {
    const { results, run } = await runOnMemory(yaml({ subs: 2, subTopic: 't/{run}', qos: 2 }), { maxQoS: 1, qos2AsQos1: true });
    const c = results.summary.capabilities!;
    expect([run.mem.counts.downgraded, run.mem.counts.qos2AsQos1]).toEqual([2, 200]);
    expect([c.subscriptionsDowngraded, c.qos2PublishedAsQos1, c.deliveriesDowngraded]).toEqual([{ '2→1': 2 }, 200, 0]);
    expect(results.summary.messages).toMatchObject({ sent: 200, expected: 400, received: 400, lost: 0 });
  });

  it('$share refused by the broker: its deliveries are not expected, not lost', async () => {
    const { results, run } = await runOnMemory(yaml({ subs: 2, subTopic: '$share/g/t/{run}' }), { sharedSubscriptions: 'refuse' });
    expect(run.mem.counts.subRefused).toBe(2);
    expect(results.summary.capabilities!.sharedRefused).toBe(2);
    expect(results.summary.messages).toMatchObject({ sent: 200, received: 0, lost: 0 });
  });

  /** Refuses the connects of `clientId` while `away.now` is true. */
  const keepAway = (clientId: string, away: { now: boolean }) => (mem: MemoryDriver) =>
    mem.faults.refuseConnects('ECONNREFUSED', { when: (c) => c.clientId === clientId && away.now });

  it('a persistent subscriber dropped and kept away to the end: its queue is away at end, not lost', async () => {
    const away = { now: false };
    const { results, run } = await runOnMemory(
      yaml({ subs: 2, subTopic: 't/{run}', clean: false }),
      {},
      {
        setup: keepAway('sub-0', away),
        script: (r, t) => {
          if (t === 1000) {
            away.now = true;
            r.mem.kill('sub-0');
          }
        },
      },
    );
    const m = results.summary.messages;
    const c = run.mem.counts;
    // Message 100 (due at 1000 ms) went out before the kill; 101..199 were queued for the session.
    expect([c.queued, c.connectsRefused > 0, c.sessionsResumed]).toEqual([99, true, 0]);
    expect(m).toMatchObject({ sent: 200, expected: 301, received: 301, awayAtEnd: 99, notEntitled: 0, lost: 0 });
    expect(m.received).toBe(c.delivered);
  });

  it('an MQTT 5 session that expired while its subscriber was away: what it missed is not entitled, not lost', async () => {
    const away = { now: false };
    const { results, run } = await runOnMemory(
      yaml({ subs: 2, subTopic: 't/{run}', clean: false, sessionExpiry: '1s' }),
      { record: true },
      {
        setup: keepAway('sub-0', away),
        script: (r, t) => {
          if (t === 300) {
            away.now = true;
            r.mem.kill('sub-0');
          }
          if (t === 1500) away.now = false;
        },
      },
    );
    const m = results.summary.messages;
    const c = run.mem.counts;
    expect([c.sessionsExpired, c.sessionsResumed]).toEqual([1, 0]);
    // The 99 copies queued before the session expired (1 s after the kill) went with it.
    expect(c.discarded).toBe(c.queued);
    expect(m).toMatchObject({ sent: 200, lost: 0, awayAtEnd: 0 });
    expect(m.received).toBe(c.delivered);
    expect(m.expected).toBe(m.received);
    expect(m.expected + m.notEntitled).toBe(400);
    // Killed at 300 ms after message 30; 31..129 queued until the session expired at 1.3 s; refused until 1.5 s, the
    // back-off (100, 200, 400, 800 ms) brings it back at 1.8 s with a new session: 181..199 arrive. Entitled to
    // nothing it did not get: 50 received, 150 not entitled.
    const toSub0 = run.mem.log.filter((x) => x.clientId === 'sub-0').length;
    expect([toSub0, m.notEntitled, c.discarded, c.connectsRefused]).toEqual([50, 150, 99, 3]);
  });
});

describe('publish side of the worker runtime on the memory driver (fake clock, exact counts)', () => {
  beforeEach(() => void vi.spyOn(Math, 'random').mockReturnValue(0.5));
  afterEach(() => void vi.restoreAllMocks());

  it('a clean-session publisher killed while the broker swallowed its publishes: those are unconfirmed, never lost', async () => {
    let swallow: { remove(): void } | null = null;
    const { results, run } = await runOnMemory(
      yaml({ subs: 1, subTopic: 't/{run}' }),
      {},
      {
        // From 1 s the broker takes the publisher's QoS 1 publishes in but neither routes nor acks them; at 1.5 s the connection dies.
        script: (r, t) => {
          if (t === 1000) swallow = r.mem.faults.swallowPublishes();
          if (t === 1500) {
            swallow!.remove();
            r.mem.kill('pub-0');
          }
        },
      },
    );
    const m = results.summary.messages;
    expect(run.mem.counts.swallowed).toBe(20); // the in-flight window (20) filled, then the rest waited
    expect(m).toMatchObject({ planned: 200, unconfirmed: 20, lost: 0 });
    expect(m.planned).toBe(m.sent + m.missedSends + m.unsent!);
    expect(m.expected).toBe(m.received);
    expect(m.received).toBe(run.mem.counts.delivered);
  });

  it('a persistent publisher session: PUBACKs held, connection killed, the 20 re-sent with DUP are acked; the broker routes them again (QoS 1: duplicates)', async () => {
    const { results, run } = await runOnMemory(
      yaml({ subs: 1, subTopic: 't/{run}', pubClean: false }),
      {},
      {
        script: (r, t) => {
          if (t === 1000) r.mem.faults.holdAcks();
          if (t === 1200) {
            r.mem.faults.holdAckRules[0].remove();
            r.mem.kill('pub-0');
          }
        },
      },
    );
    const m = results.summary.messages;
    const c = run.mem.counts;
    expect([c.acksHeld, c.resent, c.sessionsResumed]).toEqual([20, 20, 1]);
    expect(m).toMatchObject({ unconfirmed: 0, lost: 0, duplicated: 20 });
    expect(m.received).toBe(c.delivered);
  });

  it('QoS 0 behind a broker that stops reading: slots wait for the drain, sent is what the broker got, nothing lost', async () => {
    const { results, run } = await runOnMemory(
      yaml({ subs: 1, subTopic: 't/{run}', qos: 0 }),
      {},
      {
        script: (r, t) => {
          if (t === 1000) r.mem.stall('pub-0');
          if (t === 1500) r.mem.drain('pub-0');
        },
      },
    );
    const m = results.summary.messages;
    const c = run.mem.counts;
    expect([c.stalls, c.drains, c.drainEvents]).toEqual([1, 1, 1]);
    // Slots 101..149 fell due during the stall (1.0 s to 1.5 s): they waited for the drain and went then, late.
    expect(m).toMatchObject({ sent: 200, unsent: 0, waitedSends: 49, lateSends: 49, received: 200 });
    expect(m.sent).toBe(c.written);
    expect(m).toMatchObject({ planned: 200, lost: 0 });
    expect(m.planned).toBe(m.sent + m.missedSends + m.unsent!);
    expect(m.received).toBe(c.delivered);
  });
});
