import { describe, expect, it } from 'vitest';
import type { IntervalView } from '../../src/metrics/outcome.js';
import type { AckName } from '../helpers/faultProxy.js';
import { observe } from '../helpers/observer.js';
import { runYaml } from '../helpers/runScenario.js';
import { useFaultProxy } from '../helpers/useFaultProxy.js';

/**
 * The publish accounting (planned = sent + missed + unsent; sent = accepted + unconfirmed) under broker
 * back-pressure and dropped connections, against independent truth: a fault proxy in front of mosquitto
 * that delays or holds back the acks of the publisher's messages and kills its connection, and a plain
 * mqtt.js observer subscribed straight to mosquitto that sees every message the broker accepted.
 */
const scenario = (url: string, o: { qos: 1 | 2; rate: number; duration: string; drain: string; clean?: boolean }) => `
name: accounting
target: { url: "${url}", mqttVersion: 3.1.1 }
duration: ${o.duration}
drain: ${o.drain}
groups:
  - name: devices
    count: 10
    clientId: "acc-dev-{run}-{i}"
    connect: { rate: 5000/s }
    subscribe: [ { topic: "acc/{run}/{i}", qos: ${o.qos} } ]
  - name: backend
    count: 1
    clientId: "acc-back-{run}-{i}"
    connect: { clean: ${o.clean ?? true} }
    publish: { topic: "acc/{run}/{target}", targets: devices, qos: ${o.qos}, rate: ${o.rate}/s, payload: { size: 64 } }
`;

const runId = () => Math.random().toString(16).slice(2, 8);

/** Calls `act` once, at the first interval view of the measured window from its second second on. */
function onceAfterOneSecond(act: () => void): { onInterval: (p: IntervalView) => void; fired: () => boolean } {
  let fired = false;
  return {
    onInterval: (p) => {
      if (fired || p.phase !== 'measure' || p.elapsedSec < 1) return;
      fired = true;
      act();
    },
    fired: () => fired,
  };
}

describe('publish accounting against a fault proxy and an independent observer (mosquitto)', () => {
  const { mosq, proxy } = useFaultProxy();

  /**
   * Runs the scenario on one worker with a plain mqtt.js observer subscribed straight to mosquitto; then
   * clears the proxy's rules, lets the last deliveries arrive for `settleMs` and counts what the observer saw.
   */
  async function observedRun(run: string, yaml: string, driver: string, onInterval?: (p: IntervalView) => void, settleMs = 300) {
    const witness = await observe(mosq.url, `acc/${run}/#`);
    const { results } = await runYaml(yaml, 1, { runId: run, driver, ...(onInterval ? { onInterval } : {}) });
    proxy.setRules({});
    await new Promise((r) => setTimeout(r, settleMs));
    const seen = witness.count();
    await witness.close();
    return { results, seen };
  }

  /** From the second measured second on: hold back the publisher's `ack`s for 500 ms, then kill its connection. */
  const holdAcksThenKill = (run: string, ack: AckName) =>
    onceAfterOneSecond(() => {
      proxy.setRules({ holdAcks: [ack] });
      setTimeout(() => {
        proxy.setRules({});
        proxy.kill(`acc-back-${run}-0`);
      }, 500);
    });

  it.each(['lean', 'mqttjs'])(
    '%s: acks 200 ms late keep the 20-window full: what waited at the end is unsent, nothing is lost, the verdict says why',
    async (driver) => {
      const run = runId();
      proxy.setRules({ ackDelayMs: 200 });
      // 20 in flight per ~200 ms ≈ 100/s against 200/s planned: 600 planned slots in 3 s.
      const { results, seen } = await observedRun(run, scenario(proxy.url, { qos: 1, rate: 200, duration: '3s', drain: '1s' }), driver);
      const m = results.summary.messages;
      expect(m.planned).toBe(600);
      // What the broker got (the observer, straight from mosquitto) is exactly what mqbench calls sent …
      expect(seen).toBe(m.sent);
      // … and the rest of the plan is unsent: it was still waiting for the window when the run ended.
      expect(m.missedSends).toBe(0);
      expect(m.unsent).toBe(600 - seen);
      expect(m.unsent).toBeGreaterThan(100);
      expect(m.waitingAtEnd).toBe(m.unsent);
      expect(results.summary.latencyMs.unsentWait.count).toBe(m.unsent);
      expect(results.summary.latencyMs.unsentWait.max).toBeGreaterThan(500);
      // The broker lost nothing: the acks were late, not missing.
      expect(m.lost).toBe(0);
      expect(results.summary.byQos['1']).toMatchObject({ lost: 0, ok: true });
      expect((m.accepted ?? 0) + (m.unconfirmed ?? 0)).toBe(m.sent);
      expect(m.unconfirmed).toBeLessThanOrEqual(20);
      expect(m.inflightWindow).toBe(20);
      expect(results.summary.verdicts[0]).toMatch(
        new RegExp(
          `^Publishing: the broker accepted ${m.accepted} of 600 planned messages: it acknowledged more slowly than the planned rate \\(${m.unsent} still waiting for room when the run or their connection ended\\)(; .*)?; nothing it accepted was lost$`,
        ),
      );
      expect(results.summary.backPressure?.reason).toMatch(/^planned rate not reached \(broker back-pressure\)/);
      expect(results.generator.saturated).toBe(false);
      expect(results.intervals.every((row) => row.lost === 0)).toBe(true);
    },
  );

  it.each(['lean', 'mqttjs'])(
    '%s: a clean-session publisher killed while its QoS 2 PUBRECs are held back: exactly the held-back messages are unconfirmed, none lost',
    async (driver) => {
      const run = runId();
      // mosquitto releases a QoS 2 message to subscribers on PUBREL: without PUBREC the client never
      // sends it, so the broker never delivers what it holds; a clean session then discards it.
      const hold = holdAcksThenKill(run, 'pubrec');
      const { results, seen } = await observedRun(run, scenario(proxy.url, { qos: 2, rate: 100, duration: '4s', drain: '1s' }), driver, hold.onInterval);
      const c = proxy.counts();
      const m = results.summary.messages;
      expect(hold.fired()).toBe(true);
      expect(c.killed).toBeGreaterThanOrEqual(1);
      const heldBack = proxy.held().filter((h) => h.clientId === `acc-back-${run}-0`).length;
      expect(heldBack).toBe(20); // the window filled, then the rest waited
      expect(m.unconfirmed).toBe(heldBack);
      expect(m.lost).toBe(0);
      expect(results.summary.byQos['2']).toMatchObject({ unconfirmed: heldBack, lost: 0, duplicated: 0, ok: true });
      // The observer saw every message the broker accepted, and none of the unconfirmed ones.
      expect(seen).toBe(m.accepted);
      expect(m.sent).toBe((m.accepted ?? 0) + heldBack);
      expect(m.planned).toBe(400);
      expect(results.summary.verdicts[0]).toMatch(
        /^Publishing: the broker accepted \d+ of 400 planned messages: .*20 were written but never acknowledged \(the connection or session ended\) and reached no subscriber; nothing it accepted was lost$/,
      );
    },
  );

  it('QoS 1 acks held back, then the connection killed: the broker had delivered them, so they count as accepted, not unconfirmed', async () => {
    const run = runId();
    const hold = holdAcksThenKill(run, 'puback');
    const { results, seen } = await observedRun(run, scenario(proxy.url, { qos: 1, rate: 100, duration: '3s', drain: '1s' }), 'lean', hold.onInterval);
    const m = results.summary.messages;
    expect(hold.fired()).toBe(true);
    expect(proxy.held().filter((h) => h.clientId === `acc-back-${run}-0`)).toHaveLength(20);
    expect(m.unconfirmed).toBe(0);
    expect(m.accepted).toBe(m.sent);
    expect(m.acked).toBe(m.sent - 20);
    expect(seen).toBe(m.sent);
    expect(m.lost).toBe(0);
    expect(m.planned).toBe(300);
  });

  it.each(['lean', 'mqttjs'])(
    '%s: a persistent-session publisher killed while its QoS 2 PUBRECs are held back resends them on reconnect: none unconfirmed, exactly once kept',
    async (driver) => {
      const run = runId();
      const hold = holdAcksThenKill(run, 'pubrec');
      const yaml = scenario(proxy.url, { qos: 2, rate: 100, duration: '4s', drain: '1s', clean: false });
      const { results, seen } = await observedRun(run, yaml, driver, hold.onInterval);
      const m = results.summary.messages;
      expect(hold.fired()).toBe(true);
      expect(proxy.held().filter((h) => h.clientId === `acc-back-${run}-0`)).toHaveLength(20);
      // The session survived (CONNACK session present): the 20 were resent (DUP) and completed once each.
      expect(m.unconfirmed).toBe(0);
      expect(m.acked).toBe(m.sent);
      expect(m.accepted).toBe(m.sent);
      expect(seen).toBe(m.sent);
      expect(m.lost).toBe(0);
      expect(m.duplicated).toBe(0);
      expect(results.summary.byQos['2']).toMatchObject({ lost: 0, duplicated: 0, ok: true });
      expect(m.planned).toBe(400);
    },
  );

  it.each(['lean', 'mqttjs'])(
    '%s, QoS 0: a broker that stops reading for 2 s fills the socket; the slots wait for the drain (late, never buffered without bound) and sent is exactly what the broker got',
    async (driver) => {
      const run = runId();
      const stall = onceAfterOneSecond(() => {
        proxy.setRules({ stall: true });
        setTimeout(() => proxy.setRules({}), 2000);
      });
      // 2,000 × 8 KB/s = 16 MB/s: a 2 s stall is far more than the socket buffers hold (~10 MB on loopback).
      const yaml = scenario(proxy.url, { qos: 1, rate: 2000, duration: '5s', drain: '2s' })
        .replace(/qos: 1 \}/, 'qos: 0 }')
        .replace('qos: 1, rate', 'qos: 0, rate')
        .replace('size: 64', 'size: 8KB');
      const { results, seen } = await observedRun(run, yaml, driver, stall.onInterval, 500);
      const m = results.summary.messages;
      expect(stall.fired()).toBe(true);
      expect(m.planned).toBe(10_000);
      expect(seen).toBe(m.sent);
      expect(m.waitedSends).toBeGreaterThan(500);
      expect(m.unsent).toBe(m.planned! - m.sent - m.missedSends);
      expect(m.unsent).toBe(m.waitingAtEnd);
      expect(m.expected).toBe(m.sent);
      // QoS 0 may lose on the way out to slow subscribers (mosquitto drops what it cannot queue); never on the way in.
      expect(results.summary.byQos['0']).toMatchObject({ expected: m.sent, ok: true });
      // The wait is in the corrected latency, and the run says the broker held the rate down.
      expect(results.summary.latencyMs.endToEnd.max).toBeGreaterThan(300);
      expect(results.summary.backPressure?.reason).toMatch(/^planned rate not reached \(broker back-pressure\)/);
    },
  );
});
