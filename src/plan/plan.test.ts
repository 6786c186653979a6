import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { clientIdOf, compileGroupNames } from '../worker/naming.js';
import { buildRunPlan } from './plan.js';
import { loaded } from '../../test/helpers/scenario.js';

const yaml = (devices: number, backends: number) => `
name: plan-test
groups:
  - name: devices
    count: ${devices}
    subscribe: [ "cmd/{i}" ]
  - name: backend
    count: ${backends}
    publish: { topic: "cmd/{target}", targets: devices, rate: 1000/s, qos: 1 }
`;
const plan = (devices: number, backends: number, workers: number) =>
  buildRunPlan(loaded(parseScenarioText(yaml(devices, backends), 'p.yaml', {})).scenario, { workers, runId: 'r1', runTag: 7 });

describe('buildRunPlan', () => {
  it.each([
    [10_001, 1, 3],
    [1, 1, 4],
    [1000, 7, 2],
    [5, 3, 8],
  ])('%i devices + %i back ends over %i workers: every client exactly once, rates sum to the total', (devices, backends, workers) => {
    const p = plan(devices, backends, workers);
    expect(p.workers.length).toBe(Math.min(workers, devices + backends));
    for (const [gi, count] of [devices, backends].entries()) {
      const slices = p.workers.flatMap((w) => w.slices.filter((s) => s.groupIndex === gi));
      expect(slices.reduce((n, s) => n + s.count, 0)).toBe(count);
      const covered = slices.flatMap((s) => Array.from({ length: s.count }, (_, k) => s.first + k)).sort((a, b) => a - b);
      expect(covered).toEqual([...Array(count).keys()]);
    }
    const rate = p.workers.flatMap((w) => w.slices).reduce((r, s) => r + s.publishRate, 0);
    expect(rate).toBeCloseTo(1000, 9);
    expect(p.totals).toMatchObject({ clients: devices + backends, publishers: backends, publishRate: 1000 });
  });

  it('client ids never collide across workers', () => {
    const p = plan(10_001, 3, 3);
    const ids = new Set<string>();
    for (const w of p.workers) {
      for (const s of w.slices) {
        const g = w.scenario.groups[s.groupIndex];
        const names = compileGroupNames(w.scenario, g);
        for (let i = s.first; i < s.first + s.count; i++) ids.add(clientIdOf(names, g, i, w.runId));
      }
    }
    expect(ids.size).toBe(10_004);
  });

  it('gives global client indices (publisher ids) per group without overlap', () => {
    const p = plan(100, 2, 2);
    expect(p.clientBase).toEqual([0, 100]);
  });

  it('is pure: the same input gives the same plan', () => {
    expect(plan(10_001, 1, 3)).toEqual(plan(10_001, 1, 3));
  });
});
