/**
 * The publish-side accounting of a whole worker (WorkerRunner → Publisher → Driver → final snapshot →
 * settled at the end), against a fake broker on the fake clock: every planned slot ends in exactly one state
 * (planned = sent + missed + unsent), the broker's own counts are the independent truth for "sent", and
 * nothing the broker did not accept is ever counted lost.
 */
import { describe, expect, it } from 'vitest';
import type { Results } from '../metrics/types.js';
import { plannedSlots, runOnFake } from './runOnFake.test-helper.js';

const PUB = 'acc-pub-0';

/** One publisher (100/s for 5 s, 500 slots) cycling through two subscribers: one delivery per message. */
function yaml(o: { qos?: 0 | 1 | 2; inflight?: number; clean?: boolean; rate?: number; warmup?: string } = {}): string {
  return `
name: acc
target: { url: "mqtt://127.0.0.1:1883", mqttVersion: 5 }
warmup: ${o.warmup ?? '0s'}
duration: 5s
groups:
  - name: sub
    count: 2
    clientId: "acc-sub-{i}"
    connect: { rate: 1000/s }
    subscribe: [ { topic: "t/{run}/{i}", qos: 2 } ]
  - name: pub
    count: 1
    clientId: "acc-pub-{i}"
    connect: { rate: 1000/s, clean: ${o.clean ?? true} }
    publish: { topic: "t/{run}/{target}", targets: sub, qos: ${o.qos ?? 1}, rate: ${o.rate ?? 100}/s, payload: { size: 64 }${o.inflight ? `, inflight: ${o.inflight}` : ''} }
`;
}

const PLANNED = plannedSlots(100, 0, 5000);

/** The identity every run must satisfy, and its QoS 1/2 half: sent = accepted + unconfirmed + refused (+ QoS 0 written). */
function expectIdentity(r: Results, qos0Written = 0): void {
  const m = r.summary.messages;
  expect(m.planned).toBe(m.sent + m.missedSends + (m.unsent ?? NaN));
  expect(m.sent).toBe(qos0Written + (m.accepted ?? NaN) + (m.unconfirmed ?? NaN) + (m.refused ?? NaN));
  // lost counts only deliveries of accepted messages: expected is what was accepted, delivered or not.
  expect(m.lost).toBe(Math.max(0, m.expected - (m.received - m.duplicated)));
}

describe('publish accounting of a worker (fake broker, fake clock)', () => {
  it('a broker that keeps up: every planned message sent and accepted, nothing else', async () => {
    const { results, run } = await runOnFake(yaml(), { ackDelayMs: 1 });
    const m = results.summary.messages;
    expect(PLANNED).toBe(500);
    expect(m).toMatchObject({
      planned: 500,
      sent: 500,
      missedSends: 0,
      unsent: 0,
      unconfirmed: 0,
      refused: 0,
      accepted: 500,
      acked: 500,
      expected: 500,
      received: 500,
      lost: 0,
      inflightWindow: 20,
    });
    expect(run.broker.written).toBe(500);
    expectIdentity(results);
    expect(results.summary.verdicts.some((v) => v.startsWith('Publishing:'))).toBe(false);
    expect(results.summary.backPressure).toBeUndefined();
    expect(results.summary.latencyMs.unsentWait.count).toBe(0);
  });

  it('slow acks keep the 20-window full: the rest waits (late, in the corrected latency) and is unsent at the end, never lost', async () => {
    // 20 in flight per 250 ms = 80/s against 100/s planned.
    const { results, run } = await runOnFake(yaml(), { ackDelayMs: 250 });
    const m = results.summary.messages;
    expectIdentity(results);
    expect(run.broker.written).toBe(m.sent);
    expect(m.sent).toBeGreaterThan(380);
    expect(m.sent).toBeLessThan(440);
    expect(m.unsent).toBe(PLANNED - m.sent);
    expect(m.waitingAtEnd).toBe(m.unsent);
    expect(m.missedSends).toBe(0);
    // The 20 still in flight at the end were received by a subscriber: the broker had them.
    expect(m.unconfirmed).toBe(0);
    expect(m.accepted).toBe(m.sent);
    expect(m.acked).toBe(m.sent - 20);
    expect(m.expected).toBe(m.sent);
    expect(m.lost).toBe(0);
    expect(results.summary.byQos['1']).toMatchObject({ lost: 0, ok: true });
    // Waiting slots count in the corrected latency; the ones left waiting show their wait apart.
    const wait = results.summary.latencyMs.unsentWait;
    expect(wait.count).toBe(m.unsent);
    const oldestDue = run.t0 + m.sent * 10; // slot k is due at t0 + 10k ms; the first unsent is slot `sent`
    expect(wait.max).toBeCloseTo(run.t0 + 5000 - oldestDue, -1);
    expect(results.summary.latencyMs.endToEnd.max).toBeGreaterThan(500);
    expect(m.waitedSends).toBeGreaterThan(300);
    expect(results.summary.backPressure?.reason).toMatch(/^planned rate not reached \(broker back-pressure\): .* in-flight window \(20\)/);
    expect(results.generator.saturated).toBe(false);
    expect(results.summary.verdicts[0]).toBe(
      `Publishing: the broker accepted ${m.sent} of 500 planned messages: it acknowledged more slowly than the planned rate (${m.unsent} still waiting for room when the run or their connection ended); nothing it accepted was lost`,
    );
    expect(results.intervals.every((row) => row.lost === 0)).toBe(true);
  });

  it('quiesce (the drain is over): nothing more is written, what waits is unsent, acks still in flight complete before the stop', async () => {
    const { results, run } = await runOnFake(yaml(), { ackDelayMs: 250 }, { quiesceMs: 300 });
    const m = results.summary.messages;
    expectIdentity(results);
    expect(run.broker.written).toBe(run.writtenAtQuiesce);
    expect(m.sent).toBe(run.broker.written);
    expect(m.unsent).toBe(m.waitingAtEnd);
    expect(m.unsent).toBe(PLANNED - m.sent);
    // The 20 in flight at the quiesce were acknowledged during the grace, not cut off by the stop.
    expect(m.acked).toBe(m.sent);
    expect(m.lost).toBe(0);
  });

  it('a clean-session connection killed with acks held back: the held-back messages are unconfirmed, not lost', async () => {
    let killed = false;
    const { results, run } = await runOnFake(
      yaml(),
      { ackDelayMs: 1 },
      {
        script: (r, t) => {
          // From 1.8 s the broker takes publishes in but neither delivers nor acks them; at 2 s the connection dies.
          if (t === 1800) r.broker.o.swallow = true;
          if (t === 2000 && !killed) {
            killed = true;
            r.broker.o.swallow = false;
            r.broker.conn(PUB)!.lose();
          }
        },
      },
    );
    const m = results.summary.messages;
    expect(killed).toBe(true);
    expect(run.broker.swallowed).toBe(20); // the window filled up, then everything waited
    expect(m.unconfirmed).toBe(run.broker.swallowed);
    expect(m.lost).toBe(0);
    expect(results.summary.byQos['1']).toMatchObject({ unconfirmed: 20, lost: 0, ok: true });
    expect(m.expected).toBe(m.received);
    expectIdentity(results);
    expect(run.broker.written).toBe(m.sent);
    expect(results.summary.verdicts[0]).toMatch(
      /^Publishing: the broker accepted \d+ of 500 planned messages: .*20 were written but never acknowledged \(the connection or session ended\) and reached no subscriber.*; nothing it accepted was lost$/,
    );
  });

  it('slots due while the client is not connected are unsent (and publish errors, as before)', async () => {
    const { results } = await runOnFake(
      yaml(),
      { ackDelayMs: 1 },
      {
        script: (r, t) => {
          if (t === 1000) {
            r.broker.o.down = true;
            r.broker.conn(PUB)!.lose();
          }
        },
      },
    );
    const m = results.summary.messages;
    expectIdentity(results);
    expect(m.sent).toBeGreaterThanOrEqual(99);
    expect(m.sent).toBeLessThanOrEqual(101);
    expect(m.unsent).toBe(PLANNED - m.sent);
    expect(m.waitingAtEnd).toBe(0);
    expect(m.publishErrors).toBe(m.unsent);
    expect(m.lost).toBe(0);
    expect(results.summary.verdicts[0]).toMatch(/were due while their client was not connected/);
    expect(results.summary.backPressure).toBeUndefined();
  });

  it('refused publishes are counted apart, not expected, not lost', async () => {
    const { results } = await runOnFake(yaml(), { ackDelayMs: 1, refuse: 'Quota exceeded' });
    const m = results.summary.messages;
    expectIdentity(results);
    expect(m).toMatchObject({ planned: 500, sent: 500, refused: 500, accepted: 0, expected: 0, lost: 0, publishErrors: 500 });
    expect(results.summary.connections.errors['publish: PUBACK: Quota exceeded']).toBe(500);
    expect(results.summary.byQos['1']).toMatchObject({ expected: 0, refused: 500, lost: 0 });
    expect(results.summary.verdicts[0]).toMatch(/^Publishing: the broker accepted 0 of 500 planned messages: 500 were refused/);
  });

  it('QoS 0 behind a full socket: slots wait for the drain; what never reached the socket is unsent, the rest is what the broker got', async () => {
    // The socket takes 5 messages per 100 ms (50/s) against 100/s planned.
    const { results, run } = await runOnFake(yaml({ qos: 0 }), { writeDelayMs: 100, highWater: 5 });
    const m = results.summary.messages;
    expect(run.broker.written).toBe(m.sent);
    expectIdentity(results, m.sent);
    expect(m.sent).toBeGreaterThan(230);
    expect(m.sent).toBeLessThan(270);
    expect(m.unsent).toBe(PLANNED - m.sent);
    expect(m.waitingAtEnd).toBe(m.unsent);
    expect(m.expected).toBe(m.sent);
    expect(m.lost).toBe(0);
    expect(results.summary.backPressure?.reason).toMatch(/planned rate not reached \(broker back-pressure\)/);
    expect(results.summary.verdicts[0]).toMatch(
      new RegExp(`^Publishing: ${m.sent} of 500 planned messages were sent \\(QoS 0\\): it read more slowly than the planned rate`),
    );
  });

  it('a generator that falls too far behind gives slots up as missed: saturation, not back-pressure', async () => {
    const { results } = await runOnFake(
      yaml(),
      { ackDelayMs: 1 },
      {
        script: (r, t) => {
          if (t === 4000) r.clock.advance(2600, 2600); // the thread stalls 2.6 s: nothing runs, then everything is late
        },
      },
    );
    const m = results.summary.messages;
    expectIdentity(results);
    expect(m.missedSends).toBeGreaterThan(0);
    expect(results.generator.saturated).toBe(true);
    expect(results.summary.backPressure).toBeUndefined();
    expect(results.summary.verdicts[0]).toMatch(/the generator missed \d+ slots/);
  });

  it.each([
    [undefined, 5, 5],
    [3, 5, 3],
    [50, 5, 5],
    [50, undefined, 50],
    [undefined, undefined, 20],
  ])('window: publish.inflight %s, Receive Maximum %s → %i in flight at most', async (inflight, receiveMaximum, window) => {
    const { results, run } = await runOnFake(yaml({ inflight }), { ackDelayMs: 1000, receiveMaximum });
    expect(results.summary.messages.inflightWindow).toBe(window);
    expect(run.broker.maxInflight).toBe(window);
    expectIdentity(results);
  });

  it('a persistent session keeps its unacknowledged publishes across a reconnect: resent and accepted, none unconfirmed', async () => {
    const { results, run } = await runOnFake(
      yaml({ clean: false }),
      { ackDelayMs: 1 },
      {
        script: (r, t) => {
          if (t === 1800) r.broker.o.ackDelayMs = Infinity;
          if (t === 2000) {
            r.broker.o.ackDelayMs = 1;
            r.broker.conn(PUB)!.lose();
          }
        },
      },
    );
    const m = results.summary.messages;
    const sessions = run.broker.opts.filter((o) => o.clientId === PUB).map((o) => o.session);
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(sessions.every((s) => s !== undefined && s === sessions[0])).toBe(true);
    expect(run.broker.resent).toBe(20);
    expect(m.unconfirmed).toBe(0);
    expect(m.lost).toBe(0);
    expectIdentity(results);
    // Subscribers (clean sessions) get no session object.
    expect(run.broker.opts.filter((o) => o.clientId !== PUB).every((o) => o.session === undefined)).toBe(true);
  });

  it('warm-up slots are planned and sent but outside the summary', async () => {
    const { results } = await runOnFake(yaml({ warmup: '1s' }), { ackDelayMs: 1 });
    expect(results.summary.messages).toMatchObject({ planned: plannedSlots(100, 1000, 5000), sent: 500, unsent: 0 });
    expectIdentity(results);
  });
});
