/**
 * Connect latency with and without the wait for a handshake slot (coordinated omission for connects): 300 clients
 * paced at 10,000/s against a broker that answers each CONNECT after 50 ms. At most 100 handshakes are in flight
 * per worker, so the third hundred waits ~100 ms for a slot: `connect` (attempt → CONNACK) stays ~50 ms,
 * `connectFromSlot` (paced slot → CONNACK) shows the wait.
 */
import { describe, expect, it } from 'vitest';
import { runOnFake } from './runOnFake.test-helper.js';

const yaml = `
name: conn
target: { url: "mqtt://127.0.0.1:1883" }
duration: 100ms
groups:
  - name: dev
    count: 300
    connect: { rate: 10000/s }
`;

describe('connect latency from the attempt and from the paced slot', () => {
  it('a slow broker: the wait for a handshake slot is in connectFromSlot only', async () => {
    const { results } = await runOnFake(yaml, { connectDelayMs: 50 });
    const { connect, connectFromSlot } = results.summary.latencyMs;
    expect(results.summary.connections.succeeded).toBe(300);
    expect(connect.count).toBe(300);
    expect(connectFromSlot.count).toBe(300);
    // Every handshake takes the broker's 50 ms (fake ms, ±1 for the 1 ms steps of the fake clock).
    expect(connect.min).toBeGreaterThanOrEqual(49);
    expect(connect.max).toBeLessThanOrEqual(52);
    // Slots i = 0..299 at i / 10 ms. Client i + 100 starts when client i's handshake ends, so client i ends at
    // ~(i mod 100) / 10 + 50 × (1 + floor(i / 100)) ms: the third hundred (slots 20-30 ms) ends at 150-160 ms,
    // ~130 ms after its slots.
    expect(connectFromSlot.max).toBeGreaterThanOrEqual(125);
    expect(connectFromSlot.max).toBeLessThanOrEqual(135);
    expect(connectFromSlot.p50).toBeGreaterThanOrEqual(70);
    expect(connectFromSlot.min).toBeGreaterThanOrEqual(connect.min);
  });

  it('a broker that keeps up: both are the same', async () => {
    const { results } = await runOnFake(yaml, { connectDelayMs: 5 });
    const { connect, connectFromSlot } = results.summary.latencyMs;
    expect(connectFromSlot.count).toBe(300);
    expect(connectFromSlot.p99).toBeLessThanOrEqual(connect.p99 + 1);
  });
});
