import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/metrics/types.js';
import { runScenario } from '../../src/run.js';
import { scaleScenario } from '../../src/plan/scale.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { workerEntry } from '../helpers/runScenario.js';
import { loaded } from '../helpers/scenario.js';

/**
 * Every shipped scenario, as written, at a small scale (a few hundred clients, seconds) against a
 * real mosquitto, with its verdict checked. `adjust` shortens the timeline the same way for each.
 */
async function runShipped(file: string, url: string, scale: number, adjust: (s: Scenario) => void = () => {}): Promise<Results> {
  const { scenario: shipped } = loaded(await loadScenario(`scenarios/${file}`, {}));
  const s = scaleScenario(shipped, scale);
  s.target.url = url;
  s.warmupMs = Math.min(s.warmupMs, 500);
  s.durationMs = 3000;
  s.drainMs = Math.min(s.drainMs, 3000);
  adjust(s);
  // The shipped scenarios' thresholds are sized for full scale: not checked here, the test judges the figures.
  return (await runScenario(s, { workers: 2, driver: 'mqttjs', workerEntry, thresholds: [] })).results;
}

describe('shipped scenarios at small scale against mosquitto', () => {
  const mosq = useMosquitto();

  it('churn.yaml: devices come and go, their persistent sessions are recovered, and no command is lost', async () => {
    const r = await runShipped('churn.yaml', mosq.url, 0.05, (s) => {
      s.groups[0].connect.lifetime = { durationMs: 800, jitterMs: 400, pauseMs: 300 };
    });
    const c = r.summary.connections;
    expect(c.failed).toBe(0);
    expect(c.churned ?? 0).toBeGreaterThanOrEqual(100); // 100 devices, each living ~1 s in a ~3.5 s run
    expect(c.churnedBack ?? 0).toBeGreaterThan(0);
    expect(c.churnedBack ?? 0).toBeLessThanOrEqual(c.churned ?? 0);
    // mosquitto keeps every clean: false session: each churn reconnect found its session.
    expect(c.sessionsResumed).toBe(c.churnedBack);
    expect(c.sessionsLost).toBe(0);
    expect(r.summary.latencyMs.reconnect.count).toBe(c.churnedBack);
    // Timed from each attempt, not from the disconnect: with the 300 ms pause inside, none could be below it.
    expect(r.summary.latencyMs.reconnect.min).toBeLessThan(300);
    // QoS 1 across resumed sessions: nothing lost; redeliveries of unacknowledged messages are duplicates QoS 1 allows.
    expect(r.summary.messages.lost).toBe(0);
    expect(r.summary.messages.expected).toBeGreaterThan(0);
    expect(r.summary.byQos['1']?.ok).toBe(true);
  });

  it('fanout.yaml: every command reaches its device', async () => {
    const r = await runShipped('fanout.yaml', mosq.url, 0.2);
    expect(r.summary.messages).toMatchObject({ lost: 0, duplicated: 0 });
    expect(r.summary.messages.received).toBe(r.summary.messages.sent);
  });

  it('fanin.yaml: each report reaches exactly one member of the shared subscription', async () => {
    const r = await runShipped('fanin.yaml', mosq.url, 0.05, (s) => {
      s.groups[0].publish!.rate = { kind: 'every', everyMs: 1000 }; // every 1 s instead of 5 s, to have traffic in 3 s
    });
    const m = r.summary.messages;
    expect(m.expected).toBe(m.sent);
    expect(m.received).toBe(m.sent);
    expect(m.lost).toBe(0);
    expect(r.summary.byQos['1']?.ok).toBe(true);
  });

  it('qos-mix.yaml: per-QoS rows follow the 70/25/5 weights and every promise holds', async () => {
    const r = await runShipped('qos-mix.yaml', mosq.url, 0.2);
    const q = r.summary.byQos;
    const total = (q['0']?.expected ?? 0) + (q['1']?.expected ?? 0) + (q['2']?.expected ?? 0);
    expect(total).toBe(r.summary.messages.expected);
    expect(q['0']!.expected / total).toBeCloseTo(0.7, 1);
    expect(q['1']!.expected / total).toBeCloseTo(0.25, 1);
    expect(q['2']!.expected).toBeGreaterThan(0);
    expect([q['0']!.ok, q['1']!.ok, q['2']!.ok]).toEqual([true, true, true]);
    expect(r.summary.verdicts).toHaveLength(3);
  });

  it('reconnect-storm.yaml: dropped == came back, persistent sessions lose nothing at QoS 1', async () => {
    const r = await runShipped('reconnect-storm.yaml', mosq.url, 0.1, (s) => {
      s.events = [{ kind: 'disconnect', atMs: 1000, group: 'devices', fraction: 0.3, abrupt: true, reconnectAfterMs: 0, jitterMs: 1000 }];
    });
    const c = r.summary.connections;
    expect(c.dropped).toBe(60);
    expect(c.droppedBack).toBe(60);
    expect(r.summary.messages.lost).toBe(0);
    expect(r.summary.byQos['1']?.ok).toBe(true);
    expect(r.summary.latencyMs.reconnect.count).toBe(60);
  });

  it('p2p.yaml: every message reaches exactly its partner', async () => {
    const r = await runShipped('p2p.yaml', mosq.url, 0.1);
    expect(r.summary.messages.expected).toBe(r.summary.messages.sent);
    expect(r.summary.messages.received).toBe(r.summary.messages.sent);
    expect(r.summary.messages.lost).toBe(0);
  });

  it('retained.yaml: late dashboards get one retained message per sensor', async () => {
    const r = await runShipped('retained.yaml', mosq.url, 0.1, (s) => {
      s.groups[0].publish!.rate = { kind: 'every', everyMs: 1000 }; // every 1 s
      s.groups[1].subscribe[0].atMs = 1500;
    });
    expect(r.summary.messages.retainedExpected).toBe(50 * 2);
    expect(r.summary.messages.retainedReceived).toBe(100);
    expect(r.summary.messages.lost).toBe(0);
  });

  it('connections.yaml: all idle connections are held, none lost', async () => {
    const r = await runShipped('connections.yaml', mosq.url, 0.03);
    expect(r.summary.connections).toMatchObject({ attempted: 300, succeeded: 300, failed: 0, lost: 0 });
    expect(r.intervals.at(-1)!.connections).toBe(300);
  });
});
