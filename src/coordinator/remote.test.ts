import { describe, expect, it } from 'vitest';
import { buildRunPlan } from '../plan/plan.js';
import { parseScenarioText } from '../scenario/load.js';
import { FakeClock } from '../shared/fakeClock.js';
import { AS_PLANNED, NOT_OFFERED } from '../metrics/ledger.js';
import { armRemoteReceivers } from './remote.js';
import { loaded } from '../../test/helpers/scenario.js';

const scenario = loaded(
  parseScenarioText(
    `
name: remote-test
groups:
  - name: devices
    count: 6
    subscribe: [ "cmd/{i}", { topic: "late/#", at: 2s, until: 4s } ]
  - name: backend
    count: 1
    publish: { topic: "cmd/{target}", targets: devices, rate: 10/s }
`,
    'r.yaml',
    {},
  ),
).scenario;

describe('armRemoteReceivers', () => {
  it('other segments’ subscriptions: initial ones at once, late ones at their time, until their end', () => {
    const plan = buildRunPlan(scenario, { workers: 1, runId: 'r', runTag: 1, segment: { index: 1, count: 3 } });
    const clock = new FakeClock(0);
    const receivable = new Uint8Array(plan.totals.subscriptionSlots);
    const t0 = 500;
    armRemoteReceivers(plan, receivable, t0, clock);
    // Segment 1 holds devices 2 and 3 (slots 4..7); the others are remote.
    const filter = (k: number) => [0, 1, 2, 3, 4, 5].map((c) => (receivable[c * 2 + k] === AS_PLANNED ? 1 : receivable[c * 2 + k]));
    expect(filter(0)).toEqual([1, 1, 0, 0, 1, 1]);
    expect(filter(1)).toEqual([0, 0, 0, 0, 0, 0]);
    clock.advance(t0 + 2000);
    expect(filter(1)).toEqual([1, 1, 0, 0, 1, 1]);
    clock.advance(2000);
    expect(filter(1)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(filter(0)).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it('remote $share subscriptions are not offered when the broker has no shared subscriptions', () => {
    const shared = loaded(
      parseScenarioText(
        'name: s\ngroups:\n  - { name: w, count: 4, subscribe: [ "$share/g/jobs/#" ] }\n  - { name: p, count: 1, publish: { topic: "jobs/1", rate: 1/s } }\n',
        's.yaml',
        {},
      ),
    ).scenario;
    const seg = { index: 0, count: 2 };
    const receivable = new Uint8Array(4);
    armRemoteReceivers(
      buildRunPlan(shared, { workers: 1, runId: 'r', runTag: 1, segment: seg, offers: { shared: false, retainedToWildcards: true } }),
      receivable,
      0,
      new FakeClock(0),
    );
    expect([...receivable]).toEqual([0, 0, NOT_OFFERED, NOT_OFFERED]);
    armRemoteReceivers(buildRunPlan(shared, { workers: 1, runId: 'r', runTag: 1, segment: seg }), receivable, 0, new FakeClock(0));
    expect([...receivable]).toEqual([0, 0, AS_PLANNED, AS_PLANNED]);
  });

  it('a whole run marks nothing', () => {
    const plan = buildRunPlan(scenario, { workers: 1, runId: 'r', runTag: 1 });
    const receivable = new Uint8Array(plan.totals.subscriptionSlots);
    expect(armRemoteReceivers(plan, receivable, 0, new FakeClock(0))).toEqual([]);
    expect([...receivable].every((b) => b === 0)).toBe(true);
  });
});
