import { afterEach, describe, expect, it } from 'vitest';
import { startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

const scenario = (url: string, o: { duration: string; keepalive?: string; drain?: string }) => `
name: broker-faults
target: { url: "${url}" }
duration: ${o.duration}
drain: ${o.drain ?? '1s'}
groups:
  - name: devices
    count: 30
    connect: { rate: 5000/s, keepalive: ${o.keepalive ?? '60s'}, timeout: 2s }
    subscribe: [ { topic: "bf/{run}/{i}", qos: 1 } ]
  - name: backend
    count: 1
    publish: { topic: "bf/{run}/{target}", targets: devices, qos: 1, rate: 300/s, payload: { size: 64 } }
`;

/** Calls `fn` once, the first time the run has been publishing for `afterSec`. */
function whenPublishing(afterSec: number, fn: () => void) {
  let done = false;
  return (p: { phase: string; elapsedSec: number }) => {
    if (!done && (p.phase === 'measure' || p.phase === 'drain') && p.elapsedSec >= afterSec) {
      done = true;
      fn();
    }
  };
}

describe('runtime faults against a real mosquitto', () => {
  let mosq: MosquittoHandle | undefined;
  afterEach(async () => {
    await mosq?.stop();
    mosq = undefined;
  });

  it('broker restarted mid-run: every lost connection reconnects, the run goes on and completes', async () => {
    mosq = await startMosquitto();
    const m = mosq;
    const { results } = await runYaml(scenario(m.url, { duration: '5s' }), 2, { onInterval: whenPublishing(1, () => void m.restart()) });
    const c = results.summary.connections;
    expect(c.lost).toBe(31);
    expect(c.reconnected).toBe(31);
    expect(results.summary.latencyMs.reconnect.count).toBe(31);
    expect(results.status).toBe('complete');
    // While the broker was down, messages could not be sent (publish errors) or were lost on the way:
    // either way the run says so.
    const msgs = results.summary.messages;
    expect(msgs.publishErrors + msgs.lost).toBeGreaterThan(0);
    // Publishing went on after the restart.
    const after = results.intervals.filter((r) => r.t >= 3 && r.phase === 'measure');
    expect(after.some((r) => r.received > 0)).toBe(true);
    expect(Object.keys(results.summary.connections.errors).some((r) => r.startsWith('lost:'))).toBe(true);
  });

  it('broker killed mid-run: results are partial, losses and failed reconnects counted', async () => {
    mosq = await startMosquitto();
    const m = mosq;
    const { results } = await runYaml(scenario(m.url, { duration: '3s' }), 2, { onInterval: whenPublishing(1, () => void m.kill()) });
    expect(results.status).toBe('partial');
    expect(results.statusReason).toMatch(/31 connections were lost during the run and did not come back/);
    expect(results.summary.connections.lost).toBe(31);
    expect(results.summary.connections.reconnected).toBe(0);
    expect(results.summary.connections.reconnectAttempts).toBeGreaterThan(31);
    expect(Object.keys(results.summary.connections.errors).some((r) => r.startsWith('reconnect: ECONNREFUSED'))).toBe(true);
    expect(results.summary.messages.publishErrors).toBeGreaterThan(0);
  });

  it('a broker that stops answering: keepalive timeouts are counted as losses with their reason', async () => {
    mosq = await startMosquitto();
    const m = mosq;
    const { results } = await runYaml(scenario(m.url, { duration: '5s', keepalive: '1s' }), 1, {
      onInterval: whenPublishing(1, () => {
        m.process.kill('SIGSTOP');
        setTimeout(() => m.process.kill('SIGCONT'), 2500);
      }),
    });
    const errors = results.summary.connections.errors;
    const keepalive = Object.entries(errors).filter(([r]) => /^lost: .*keepalive/i.test(r));
    expect(keepalive.length).toBeGreaterThan(0);
    expect(results.summary.connections.lost).toBeGreaterThan(0);
    expect(results.summary.latencyMs.endToEnd.max).toBeGreaterThan(1000);
  });
});
