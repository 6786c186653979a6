import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { groupPublishRate } from '../scenario/model.js';
import { scalePlan, scaleScenario } from './scale.js';
import { loaded } from '../../test/helpers/scenario.js';

const s = loaded(
  parseScenarioText(
    'name: s\ngroups:\n  - name: devices\n    count: 5000\n    publish: { topic: "t/{i}", every: 5s }\n  - name: ingest\n    count: 3\n    subscribe: [ "t/#" ]\n',
    's.yaml',
    {},
  ),
).scenario;

describe('scaleScenario', () => {
  it("multiplies counts, keeps each client's publishing interval, never turns several clients into one", () => {
    const small = scaleScenario(s, 0.01);
    expect(small.groups.map((g) => g.count)).toEqual([50, 2]); // 3 ingest members × 0.01 → 2, not 1
    expect(small.groups[0].publish!.rate).toEqual({ kind: 'every', everyMs: 5000 }); // each client still every 5 s
    expect(groupPublishRate(small.groups[0])).toBeCloseTo(10, 9); // 50 clients every 5 s
  });

  it('makes a group rate follow the count', () => {
    const group = loaded(parseScenarioText('name: s\ngroups:\n  - { name: a, count: 10, publish: { topic: t, rate: 100/s } }\n', 's.yaml', {})).scenario;
    expect(scaleScenario(group, 2.5).groups[0].publish!.rate).toEqual({ kind: 'rate', perSec: 250 });
    expect(s.groups[0].count).toBe(5000); // pure
  });

  it("says what rounding did, group by group, and keeps each client's rates (publish and connect)", () => {
    const two = loaded(
      parseScenarioText(
        'name: s\ngroups:\n  - { name: devices, count: 1000, connect: { rate: 500/s }, subscribe: [ "c/{i}" ] }\n  - { name: ingest, count: 3, subscribe: [ "$share/g/t/#" ] }\n  - { name: backend, count: 1, publish: { topic: "c/{target}", targets: devices, rate: 2000/s } }\n',
        's.yaml',
        {},
      ),
    ).scenario;
    const { scenario, notes } = scalePlan(two, 0.1);
    expect(scenario.groups.map((g) => g.count)).toEqual([100, 2, 1]);
    expect(scenario.groups[0].connect.rate).toBe(50); // each device connects as paced before
    expect(scenario.groups[2].publish!.rate).toEqual({ kind: 'rate', perSec: 2000 }); // the one backend client unchanged
    expect(notes).toEqual([
      'group ingest: 3 × 0.1 = 0.3 → 2 clients (rounded up: a group of several clients keeps at least 2); it is 6.667× its share of the scaled run, each client unchanged',
      'group backend: 1 × 0.1 = 0.1 → 1 client (a group keeps at least 1 client); it is 10× its share of the scaled run, each client unchanged',
    ]);
    expect(scalePlan(two, 2).notes).toEqual([]); // exact: nothing to say
  });

  it('rejects a factor of zero or less', () => {
    expect(() => scaleScenario(s, 0)).toThrow(RangeError);
  });
});
