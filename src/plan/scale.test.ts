import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { groupPublishRate } from '../scenario/model.js';
import { scaleScenario } from './scale.js';
import { loaded } from '../../test/helpers/scenario.js';

const s = loaded(parseScenarioText(
  'name: s\ngroups:\n  - name: devices\n    count: 5000\n    publish: { topic: "t/{i}", every: 5s }\n  - name: ingest\n    count: 3\n    subscribe: [ "t/#" ]\n',
  's.yaml',
  {},
)).scenario;

describe('scaleScenario', () => {
  it('multiplies counts, keeps each client\'s publishing interval, never goes below one client', () => {
    const small = scaleScenario(s, 0.01);
    expect(small.groups.map((g) => g.count)).toEqual([50, 1]);
    expect(small.groups[0].publish!.rate).toEqual({ kind: 'every', everyMs: 5000 }); // each client still every 5 s
    expect(groupPublishRate(small.groups[0])).toBeCloseTo(10, 9); // 50 clients every 5 s
  });

  it('makes a group rate follow the count', () => {
    const group = loaded(parseScenarioText('name: s\ngroups:\n  - { name: a, count: 10, publish: { topic: t, rate: 100/s } }\n', 's.yaml', {})).scenario;
    expect(scaleScenario(group, 2.5).groups[0].publish!.rate).toEqual({ kind: 'rate', perSec: 250 });
    expect(s.groups[0].count).toBe(5000); // pure
  });

  it('rejects a factor of zero or less', () => {
    expect(() => scaleScenario(s, 0)).toThrow(RangeError);
  });
});
