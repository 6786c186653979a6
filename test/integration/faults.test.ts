import { describe, expect, it } from 'vitest';
import { runYaml } from '../helpers/runScenario.js';
import { useFaultProxy } from '../helpers/useFaultProxy.js';

/**
 * mqbench's loss, duplicate, reorder and latency figures against an independent fault injector:
 * a TCP proxy between the broker and every client that drops, duplicates, swaps or delays chosen
 * broker→client PUBLISH frames and counts exactly what it did.
 */
const scenario = (url: string, o: { rate: string; duration: string }) => `
name: faults
target: { url: "${url}" }
duration: ${o.duration}
drain: 1500ms
groups:
  - name: devices
    count: 20
    connect: { rate: 5000/s }
    subscribe: [ { topic: "f/{run}/{i}", qos: 0 } ]
  - name: backend
    count: 1
    publish: { topic: "f/{run}/{target}", targets: devices, qos: 0, rate: ${o.rate}, payload: { size: 64 } }
`;

describe('figures match an independent fault injector (mosquitto behind a proxy)', () => {
  const { proxy } = useFaultProxy();

  it('lost, duplicated and out-of-order equal exactly what the proxy dropped, duplicated and swapped (2 workers)', async () => {
    proxy.setRules({ dropEvery: 37, duplicateEvery: 53, swapEvery: 41 });
    const before = proxy.counts();
    const { results } = await runYaml(scenario(proxy.url, { rate: '1000/s', duration: '3s' }), 2);
    const after = proxy.counts();
    proxy.setRules({});
    const did = { dropped: after.dropped - before.dropped, duplicated: after.duplicated - before.duplicated, swapped: after.swapped - before.swapped };
    expect(did.dropped).toBeGreaterThan(50);
    expect(did.duplicated).toBeGreaterThan(30);
    expect(did.swapped).toBeGreaterThan(30);
    const m = results.summary.messages;
    expect(after.publishes - before.publishes).toBe(m.sent); // every delivery crossed the proxy
    expect(m.lost).toBe(did.dropped);
    expect(m.duplicated).toBe(did.duplicated);
    expect(m.outOfOrder).toBe(did.swapped);
    expect(m.received).toBe(m.sent - did.dropped + did.duplicated);
    // QoS 0 may lose but never duplicate: the verdict says which promise broke.
    expect(results.summary.byQos['0']).toMatchObject({ lost: did.dropped, duplicated: did.duplicated, ok: false });
    expect(results.summary.verdicts[0]).toBe(
      `QoS 0: ${did.dropped} lost (allowed), ${did.duplicated} duplicates, ${did.swapped} out of order — at-most-once broken`,
    );
    // Per-second loss adds up to the total.
    expect(results.intervals.at(-1)!.lostSoFar).toBe(did.dropped);
  });

  it('an injected 20 ms delivery delay moves the reported e2e p50 by 20 ± 1.5 ms', async () => {
    proxy.setRules({});
    const base = (await runYaml(scenario(proxy.url, { rate: '200/s', duration: '3s' }), 2)).results;
    proxy.setRules({ delayMs: 20 });
    const delayed = (await runYaml(scenario(proxy.url, { rate: '200/s', duration: '3s' }), 2)).results;
    proxy.setRules({});
    const shift = delayed.summary.latencyMs.endToEnd.p50 - base.summary.latencyMs.endToEnd.p50;
    expect(shift).toBeGreaterThanOrEqual(18.5);
    expect(shift).toBeLessThanOrEqual(21.5);
    expect(delayed.summary.messages.lost).toBe(0);
    expect(delayed.summary.latencyMs.endToEnd.min).toBeGreaterThanOrEqual(20);
  });
});
