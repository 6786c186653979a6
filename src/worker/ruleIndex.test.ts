import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_PLANNED, NOT_OFFERED, NOT_RECEIVABLE, receivableAt, SubscriptionIndex } from '../metrics/ledger.js';
import { shareGroups } from '../metrics/shareLedger.js';
import { allocateLedger } from '../coordinator/ledgerBuffers.js';
import { buildRunPlan } from '../plan/plan.js';
import { parseScenarioText } from '../scenario/load.js';
import { loaded } from '../../test/helpers/scenario.js';
import type { QoS } from '../scenario/model.js';
import { compileGroupNames, plannedSubscriptions } from './naming.js';
import { RuleIndex } from './ruleIndex.js';
import { shareGroupsOf, subscriptionRules } from './subscriptionRules.js';

/** A deterministic pseudo-random sequence (the test must not flake). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * The rule index against the reference (every subscription enumerated): the same expected deliveries for
 * every topic the scenario publishes to and some it does not, under random receivable states (inactive,
 * granted QoS 0/1/2, not offered), and the same `$share` groups for the shared ledger.
 */
function checkEquivalent(yaml: string, file: string) {
  const scenario = loaded(parseScenarioText(yaml, file, {})).scenario;
  const plan = buildRunPlan(scenario, { workers: 1, runId: 'r1', runTag: 1 });
  const subs = [...plannedSubscriptions(scenario, plan.clientBase, plan.slotBase, plan.runId)];
  const reference = new SubscriptionIndex(subs);
  const rules = subscriptionRules(scenario, plan.slotBase, plan.runId);
  const index = new RuleIndex(rules);
  // Groups of one member need no shared record: they may be missing from the rules' list.
  const several = (m: Map<string, number>) => new Map([...m].filter(([, n]) => n > 1));
  expect(several(shareGroupsOf(rules))).toEqual(several(shareGroups(subs)));
  const topics = new Set<string>(['nobody/listens', '$SYS/x']);
  scenario.groups.forEach((g) => {
    const names = compileGroupNames(scenario, g);
    if (!names.publishTopic) return;
    for (let i = 0; i < Math.min(g.count, 50); i++) {
      for (const target of [0, 1, i, Math.max(0, names.targetCount - 1), names.targetCount, names.targetCount + 7]) {
        topics.add(names.publishTopic.render({ i, group: g.name, run: plan.runId, clientId: `c${i}`, target, seq: 0 }));
      }
    }
  });
  for (const s of subs)
    topics.add(
      s.filter
        .replace(/^\$share\/[^/]+\//, '')
        .replace(/\+/g, 'x')
        .replace(/#$/, 'a/b'),
    );
  const next = rng(42);
  const receivable = new Uint8Array(Math.max(1, plan.totals.subscriptionSlots));
  const states = [NOT_RECEIVABLE, receivableAt(0), receivableAt(1), AS_PLANNED, NOT_OFFERED];
  let compared = 0;
  for (let round = 0; round < 4; round++) {
    for (let s = 0; s < receivable.length; s++) receivable[s] = round === 0 ? AS_PLANNED : states[Math.floor(next() * states.length)];
    for (const topic of topics) {
      for (const qos of [0, 1, 2] as QoS[]) {
        expect(index.expectedFor(topic, qos, receivable), `${file}: ${topic} QoS ${qos}`).toEqual(reference.expectedFor(topic, qos, receivable));
        compared++;
      }
    }
  }
  return { compared, rules };
}

const TRICKY = `
name: tricky
target: { url: "mqtt://127.0.0.1:1883" }
duration: 1s
groups:
  - name: devices
    count: 30
    clientId: "dev-{run}-{i}"
    subscribe:
      - { topic: "cmd/{run}/{i}", qos: 1 }
      - { topic: "cmd/{run}/+", qos: 0 }
      - { topic: "id/{clientId}/#", qos: 2 }
      - { topic: "cmd/{run}/7", qos: 2 }
      - { topic: "$share/ind/own/{i}", qos: 1 }
    publish: { topic: "up/{run}/{i}", qos: 1, rate: 10/s, payload: { size: 64 } }
  - name: multi
    count: 12
    subscribe:
      - { topic: "up/{run}/#", qos: 1 }
      - { topic: "$share/s/up/{run}/+", qos: 2 }
      - { topic: "$share/s/up/{run}/3", qos: 0 }
      - { topic: "$share/ind/own/5", qos: 1 }
  - name: odd
    count: 4
    subscribe:
      - { topic: "$share/g{i}/up/{run}/#", qos: 1 }
  - name: back
    count: 2
    publish: { topic: "cmd/{run}/{target}", targets: devices, qos: 2, rate: 10/s, payload: { size: 64 } }
  - name: byid
    count: 3
    publish: { topic: "id/dev-{run}-{i}/x/y", qos: 1, rate: 10/s, payload: { size: 64 } }
`;

describe('RuleIndex: the same expected deliveries as enumerating every subscription', () => {
  it('on every shipped scenario', () => {
    const dir = join(import.meta.dirname, '../../scenarios');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(checkEquivalent(readFileSync(join(dir, f), 'utf8'), f).compared).toBeGreaterThan(0);
  });

  it('with per-client, constant, overlapping, {clientId} and $share filters of several groups', () => {
    const { compared, rules } = checkEquivalent(TRICKY, 'tricky.yaml');
    expect(compared).toBeGreaterThan(1000);
    // Only the filter whose $share name depends on i is enumerated (one rule per share name); every other one
    // is a constant or an inverted per-client filter.
    expect(rules.map((r) => r.kind).sort()).toEqual([...Array(6).fill('constant'), ...Array(3).fill('indexed'), ...Array(4).fill('listed')]);
  });

  it('builds a 1,000,000-client scenario without enumerating its clients', () => {
    const yaml = TRICKY.replace('count: 30', 'count: 1000000');
    const scenario = loaded(parseScenarioText(yaml, 'big.yaml', {})).scenario;
    const plan = buildRunPlan(scenario, { workers: 1, runId: 'r1', runTag: 1, segment: { index: 0, count: 100 } });
    const t = performance.now();
    // The coordinator's shared ledger for the segment, from the same rules: no list of the run's clients.
    const ledger = allocateLedger(plan);
    expect(ledger.shares.recorded.map((r) => r.key)).toContain('$share/s/up/r1/+');
    const index = new RuleIndex(subscriptionRules(scenario, plan.slotBase, plan.runId));
    const receivable = new Uint8Array(plan.totals.subscriptionSlots).fill(AS_PLANNED);
    // Client 999,999 of devices holds cmd/r1/999999 (QoS 1) and cmd/r1/+ (QoS 0): one delivery at QoS 1;
    // every other device only the QoS 0 wildcard.
    expect(index.expectedFor('cmd/r1/999999', 2, receivable)).toEqual([999_999, 1, 0, 0]);
    expect(index.expectedFor('cmd/r1/1000000', 2, receivable)).toEqual([1_000_000, 0, 0, 0]);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
