import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlan } from '../../src/coordinator/coordinator.js';
import { buildResults } from '../../src/metrics/results.js';
import type { Results } from '../../src/metrics/types.js';
import { buildRunPlan } from '../../src/plan/plan.js';
import { scaleScenario } from '../../src/plan/scale.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { systemClock } from '../../src/shared/clock.js';
import { expectAccounting, workerEntry } from '../helpers/runScenario.js';
import { loaded } from '../helpers/scenario.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

/**
 * Both drivers, every shipped scenario: the lean driver (the default) and mqtt.js run each file under
 * scenarios/ against the same mosquitto, shrunk to ≤ ~150 clients and a 3 s window, and must count
 * the same. Every scenario shipped today runs on mosquitto 2 (MQTT 3.1.1 and 5, $share, retained,
 * persistent sessions): none is skipped; a scenario that needs what mosquitto lacks (e.g. a broker
 * feature mosquitto does not offer) would be listed in SKIP with the reason.
 */
const SKIP: Readonly<Record<string, string>> = {};
const WINDOW_MS = 3000;
const MAX_CLIENTS = 150;

function shippedFiles(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? shippedFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []))
    .sort();
}

/** The scenario as written, at most MAX_CLIENTS clients, its timeline squeezed into a WINDOW_MS window. */
function shrink(shipped: Scenario, url: string): Scenario {
  const total = shipped.groups.reduce((n, g) => n + g.count, 0);
  const s = scaleScenario(shipped, Math.min(1, MAX_CLIENTS / total));
  const time = (ms: number) => Math.round((ms * WINDOW_MS) / shipped.durationMs);
  s.target = { ...s.target, url };
  s.warmupMs = Math.min(s.warmupMs, 500);
  s.durationMs = WINDOW_MS;
  s.drainMs = Math.max(2000, Math.min(s.drainMs, 3000));
  for (const g of s.groups) {
    // Per-client intervals of seconds would leave a 3 s window nearly empty: at least one message a second.
    if (g.publish?.rate.kind === 'every') g.publish.rate = { kind: 'every', everyMs: Math.min(g.publish.rate.everyMs, 1000) };
    g.connect = { ...g.connect, rate: Math.max(g.connect.rate, 1000) };
    for (const sub of g.subscribe) {
      if (sub.atMs !== undefined) sub.atMs = time(sub.atMs);
      if (sub.untilMs !== undefined) sub.untilMs = time(sub.untilMs);
    }
  }
  s.events = s.events.map((e) =>
    e.kind === 'disconnect'
      ? { ...e, atMs: time(e.atMs), jitterMs: Math.min(e.jitterMs, 500), reconnectAfterMs: Math.min(e.reconnectAfterMs, 500) }
      : { ...e, atMs: time(e.atMs) },
  );
  return s;
}

async function run(s: Scenario, driver: string): Promise<Results> {
  const plan = buildRunPlan(s, { workers: 1, runId: Math.random().toString(16).slice(2, 8), runTag: (Math.random() * 2 ** 32) >>> 0 });
  const outcome = await runPlan({ plan, driver, clock: systemClock, workerEntry });
  const results = buildResults(outcome, { mqbenchVersion: 'test', scenario: { name: s.name }, targetUrl: s.target.url, embedded: false });
  expectAccounting(results, s);
  return results;
}

/**
 * Counts that depend on timing rather than on the driver: a late subscriber's SUBACK landing a few ms
 * earlier or later changes which live messages it must get (expected) and so gets (received). For
 * these, each run must still deliver everything it expected.
 */
const TIMING: Readonly<Record<string, readonly ('expected' | 'received')[]>> = {
  'retained.yaml': ['expected', 'received'],
};

/** What the two drivers must agree on. */
function counts(r: Results, vary: readonly string[] = []) {
  const m = r.summary.messages;
  const c = r.summary.connections;
  const all = {
    status: r.status,
    planned: m.planned,
    missedSends: m.missedSends,
    unsent: m.unsent,
    sent: m.sent,
    received: m.received,
    expected: m.expected,
    lost: m.lost,
    duplicated: m.duplicated,
    retainedReceived: m.retainedReceived,
    connected: c.succeeded,
    failed: c.failed,
    dropped: c.dropped,
    droppedBack: c.droppedBack,
  };
  return Object.fromEntries(Object.entries(all).filter(([k]) => !vary.includes(k)));
}

/** Both drivers on one scenario. Sends the pacer had to skip (missedSends, unsent: a machine too busy) differ by nature: then once more. */
async function both(s: Scenario): Promise<{ lean: Results; mqttjs: Results }> {
  for (let attempt = 1; ; attempt++) {
    const lean = await run(s, 'lean');
    const mqttjs = await run(s, 'mqttjs');
    const skipped = (r: Results) => r.summary.messages.missedSends + (r.summary.messages.unsent ?? 0);
    if (attempt === 2 || skipped(lean) + skipped(mqttjs) === 0) return { lean, mqttjs };
  }
}

describe('the lean and mqtt.js drivers count the same on every shipped scenario (mosquitto)', () => {
  const mosq = useMosquitto();

  const files = shippedFiles();
  it('finds the shipped scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(15); // 7 + 8 under mqttbs/ today
  });

  for (const file of files) {
    const name = relative('scenarios', file);
    const skip = SKIP[name];
    it.skipIf(skip !== undefined)(
      `${name}${skip ? ` (skipped: ${skip})` : ''}`,
      async () => {
        const s = shrink(loaded(await loadScenario(file, {})).scenario, mosq.url);
        const r = await both(s);
        const vary = TIMING[name] ?? [];
        expect(counts(r.lean, vary), `${name}: lean vs mqttjs`).toEqual(counts(r.mqttjs, vary));
        for (const res of [r.lean, r.mqttjs]) {
          const m = res.summary.messages;
          expect(res.status).toBe('complete');
          expect(res.summary.connections.failed).toBe(0);
          expect(m.lost).toBe(0);
          expect(m.received).toBe(m.expected);
        }
      },
      120_000,
    );
  }
});
