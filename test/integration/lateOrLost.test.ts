import { describe, expect, it } from 'vitest';
import { runYaml } from '../helpers/runScenario.js';
import { useFaultProxy } from '../helpers/useFaultProxy.js';
import { deliveryVerdict } from '../../src/report/verdict.js';

/**
 * Late or lost (metrics/tail.ts) against an independent fault injector: a proxy between mosquitto and every
 * client. Deliveries the proxy holds back (and the broker queues behind them) while a short drain ends are
 * "still undelivered at the end", not proven loss, and a longer drain shows they arrive; PUBLISH frames the
 * proxy drops mid-stream are gaps behind later arrivals: proven loss.
 */
const scenario = (url: string, o: { qos: 0 | 1; rate: string; drain: string; devices: number }) => `
name: late-or-lost
target: { url: "${url}" }
warmup: 0s
duration: 3s
drain: ${o.drain}
groups:
  - name: devices
    count: ${o.devices}
    connect: { rate: 5000/s }
    subscribe: [ { topic: "l/{run}/{i}", qos: ${o.qos} } ]
  - name: backend
    count: 1
    publish: { topic: "l/{run}/{target}", targets: devices, qos: ${o.qos}, rate: ${o.rate}, payload: { size: 64 } }
`;

describe('late or lost: mosquitto behind a fault proxy', () => {
  const { proxy } = useFaultProxy();

  it('QoS 1 deliveries held back past a short drain are lostAtTail (all of lost), and a long drain receives every one', async () => {
    // 1.5 s per delivery: with mosquitto's 20 in flight per client a device takes ~13 msg/s, it is owed 20/s,
    // so the broker queues the rest; a 0.3 s drain ends with much still queued or on its way.
    proxy.setRules({ delayMs: 1500 });
    const before = proxy.counts();
    const short = (await runYaml(scenario(proxy.url, { qos: 1, rate: '200/s', drain: '300ms', devices: 10 }), 2)).results;
    const after = proxy.counts();
    const m = short.summary.messages;
    expect(m.sent).toBeGreaterThan(500);
    expect(m.acked).toBe(m.sent); // the broker accepted every message
    expect(m.expected).toBe(m.sent);
    // The proxy wrote at least every delivery the subscribers counted (a frame written just as a client closed may be unread).
    const written = after.delayed - before.delayed;
    expect(m.received).toBeLessThanOrEqual(written);
    expect(m.duplicated).toBe(0);
    expect(m.lost).toBe(m.expected - m.received);
    expect(m.lost).toBeGreaterThan(100);
    // Order is kept (no drop, no swap): nothing is missing behind a later arrival, so nothing is proven lost.
    expect(m.lostAtTail).toBe(m.lost);
    expect(m.tailFromSec).toBeGreaterThanOrEqual(1); // every stream had delivered something: the split is not vacuous
    expect(deliveryVerdict(m, short)).toMatch(
      /; none missing behind a later delivery: all may have been still queued when the 0\.3 s drain ended \(raise `drain`/,
    );
    expect(short.summary.byQos['1']?.verdict).toMatch(/at-least-once broken \(or late: none of the lost was missing behind a later delivery/);

    // The same run with time to drain: those messages were late, not lost.
    const long = (await runYaml(scenario(proxy.url, { qos: 1, rate: '200/s', drain: '10s', devices: 10 }), 2)).results;
    proxy.setRules({});
    expect(long.summary.messages.sent).toBeGreaterThan(500);
    expect(long.summary.messages.lost).toBe(0);
    expect(long.summary.messages.lostAtTail).toBe(0);
    expect(long.summary.messages.received).toBe(long.summary.messages.expected);
  }, 40_000);

  it('QoS 0 PUBLISH frames dropped mid-stream are proven loss: lost equals the drops, only the last second may be at the tail', async () => {
    proxy.setRules({ dropEvery: 37 });
    const before = proxy.counts();
    const { results } = await runYaml(scenario(proxy.url, { qos: 0, rate: '1000/s', drain: '1500ms', devices: 20 }), 2);
    const after = proxy.counts();
    proxy.setRules({});
    const dropped = after.dropped - before.dropped;
    const m = results.summary.messages;
    expect(dropped).toBeGreaterThan(50);
    expect(after.publishes - before.publishes).toBe(m.sent); // every delivery crossed the proxy
    expect(m.lost).toBe(dropped);
    // Every stream delivered up to its last second, so only drops intended in (at most) the last two
    // seconds can be counted at the tail: 1,000 msg/s with one drop in 37 is ≤ 28 drops a second.
    expect(m.tailFromSec).toBeGreaterThanOrEqual(1);
    expect(m.lostAtTail).toBeLessThanOrEqual(2 * Math.ceil(1000 / 37));
    expect(m.lost - m.lostAtTail!).toBeGreaterThanOrEqual(dropped - 2 * Math.ceil(1000 / 37));
  }, 30_000);
  it('both at once (QoS 0 drops, then a 1 s delay past a short drain): never more proven than the proxy dropped', async () => {
    proxy.setRules({ dropEvery: 37, delayMs: 1000 });
    const before = proxy.counts();
    const { results } = await runYaml(scenario(proxy.url, { qos: 0, rate: '1000/s', drain: '300ms', devices: 20 }), 2);
    const after = proxy.counts();
    proxy.setRules({});
    const dropped = after.dropped - before.dropped;
    const written = after.delayed - before.delayed;
    const m = results.summary.messages;
    expect(after.publishes - before.publishes).toBe(m.sent);
    expect(dropped).toBeGreaterThan(50);
    expect(m.received).toBeLessThanOrEqual(written);
    const stillHeld = m.sent - dropped - written; // in the proxy's delay queue when the subscribers closed
    expect(stillHeld).toBeGreaterThan(50);
    expect(m.lost).toBeGreaterThanOrEqual(dropped + stillHeld);
    const proven = m.lost - m.lostAtTail!;
    expect(proven).toBeGreaterThan(0);
    expect(proven).toBeLessThanOrEqual(dropped); // what the proxy still held is never called proven loss
    expect(m.lostAtTail).toBeGreaterThanOrEqual(stillHeld);
  }, 30_000);
});
