import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { clientIdOf, compileGroupNames } from '../worker/naming.js';
import { buildRunPlan } from './plan.js';
import { markSlots, parseSegment, remoteSubscriptionSlots, segmentClients } from './segment.js';
import { loaded } from '../../test/helpers/scenario.js';

const scenario = (devices: number, backends: number, late = false) =>
  loaded(
    parseScenarioText(
      `
name: seg-test
groups:
  - name: devices
    count: ${devices}
    subscribe: [ "cmd/{i}", { topic: "all/#", qos: 1${late ? ', at: 2s, until: 5s' : ''} } ]
  - name: backend
    count: ${backends}
    publish: { topic: "cmd/{target}", targets: devices, rate: 1000/s, qos: 1 }
`,
      's.yaml',
      {},
    ),
  ).scenario;

describe('parseSegment', () => {
  it('reads i/N', () => {
    expect(parseSegment('0/3')).toEqual({ index: 0, count: 3 });
    expect(parseSegment(' 2 / 3 ')).toEqual({ index: 2, count: 3 });
  });
  it.each(['3/3', '1', '-1/3', 'a/b', '0/0', '1/2/3'])('refuses %s', (t) => {
    expect(() => parseSegment(t)).toThrow(RangeError);
  });
});

describe('segmented plans', () => {
  it.each([
    [10_001, 1, 3, 2],
    [60, 3, 3, 1],
    [7, 2, 4, 3],
    [1000, 7, 5, 2],
  ])('%i devices + %i back ends over %i segments × %i workers: every client exactly once, rates sum', (devices, backends, segments, workers) => {
    const sc = scenario(devices, backends);
    const plans = Array.from({ length: segments }, (_, i) => buildRunPlan(sc, { workers, runId: 'r', runTag: 1, segment: { index: i, count: segments } }));
    for (const [gi, count] of [devices, backends].entries()) {
      const covered = plans
        .flatMap((p) => p.workers.flatMap((w) => w.slices.filter((s) => s.groupIndex === gi)))
        .flatMap((s) => Array.from({ length: s.count }, (_, k) => s.first + k))
        .sort((a, b) => a - b);
      expect(covered).toEqual([...Array(count).keys()]);
    }
    expect(plans.reduce((n, p) => n + p.totals.clients, 0)).toBe(devices + backends);
    expect(plans.reduce((n, p) => n + p.totals.publishers, 0)).toBe(backends);
    expect(plans.reduce((r, p) => r + p.totals.publishRate, 0)).toBeCloseTo(1000, 9);
    const sliceRate = plans.flatMap((p) => p.workers.flatMap((w) => w.slices)).reduce((r, s) => r + s.publishRate, 0);
    expect(sliceRate).toBeCloseTo(1000, 9);
    // Global ids and slots: the same in every segment.
    for (const p of plans) {
      expect(p.clientBase).toEqual([0, devices]);
      expect(p.slotBase).toEqual([0, devices * 2]);
      expect(p.totals.subscriptionSlots).toBe(devices * 2);
    }
  });

  it('client ids never collide across segments (same run id)', () => {
    const sc = scenario(100, 3);
    const ids = new Set<string>();
    let n = 0;
    for (let i = 0; i < 3; i++) {
      const p = buildRunPlan(sc, { workers: 2, runId: 'shared', runTag: 1, segment: { index: i, count: 3 } });
      for (const w of p.workers) {
        for (const s of w.slices) {
          const g = sc.groups[s.groupIndex];
          const names = compileGroupNames(sc, g);
          for (let c = s.first; c < s.first + s.count; c++, n++) ids.add(clientIdOf(names, g, c, w.runId));
        }
      }
    }
    expect(n).toBe(103);
    expect(ids.size).toBe(103);
  });

  it('counts the clients of a segment', () => {
    expect([0, 1, 2].map((i) => segmentClients(scenario(60, 3), { index: i, count: 3 }))).toEqual([21, 21, 21]);
    expect(segmentClients(scenario(1, 1), { index: 2, count: 3 })).toBe(0);
  });
});

describe('remoteSubscriptionSlots', () => {
  it('a whole run has no remote slots', () => {
    expect(remoteSubscriptionSlots(scenario(10, 1), [0, 20], { index: 0, count: 1 })).toEqual([]);
  });

  it('marks exactly the slots other segments hold, with their timing', () => {
    const sc = scenario(10, 1, true);
    const slotBase = [0, 20];
    for (let i = 0; i < 3; i++) {
      const seg = { index: i, count: 3 };
      const remote = remoteSubscriptionSlots(sc, slotBase, seg);
      const initial = new Uint8Array(20);
      const late = new Uint8Array(20);
      for (const r of remote) markSlots(r.fromMs === 0 ? initial : late, r, 1);
      const p = buildRunPlan(sc, { workers: 1, runId: 'r', runTag: 1, segment: seg });
      const local = p.workers[0].slices.find((s) => s.groupIndex === 0)!;
      for (let c = 0; c < 10; c++) {
        const isLocal = c >= local.first && c < local.first + local.count;
        expect(initial[c * 2]).toBe(isLocal ? 0 : 1); // filter 0: from the start
        expect(late[c * 2 + 1]).toBe(isLocal ? 0 : 1); // filter 1: at 2s
        expect(initial[c * 2 + 1]).toBe(0);
      }
      for (const r of remote.filter((x) => x.fromMs > 0)) expect(r).toMatchObject({ fromMs: 2000, untilMs: 5000 });
    }
  });
});
