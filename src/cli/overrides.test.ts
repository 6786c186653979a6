import { describe, expect, it } from 'vitest';
import { loaded } from '../../test/helpers/scenario.js';
import { parseScenarioText } from '../scenario/load.js';
import type { Scenario } from '../scenario/model.js';
import { UserError } from '../shared/errors.js';
import { overrideBroker, scenarioAsRun } from './overrides.js';

/** Freezes every object in `x`, so any change to it throws (strict mode). */
function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

const text = [
  'name: o',
  'target: { urls: [ "mqtt://10.0.0.1:1883", "mqtt://10.0.0.2:1883" ], sourceAddresses: [ 127.0.0.2 ] }',
  'duration: 10s',
  'groups:',
  '  - { name: a, count: 10, publish: { topic: "t/{i}", rate: 100/s } }',
  '',
].join('\n');

describe("the command line's changes give a new scenario; the loaded one is never changed", () => {
  const original = deepFreeze(loaded(parseScenarioText(text, 'o.yaml', {})).scenario);

  it('--scale, --broker and --duration together', () => {
    const s: Scenario = scenarioAsRun(original, { scale: 2, broker: 'mqtt://127.0.0.1:1883', duration: 5000 });
    expect(s.groups[0].count).toBe(20);
    expect(s.groups[0].publish?.rate).toEqual({ kind: 'rate', perSec: 200 });
    expect(s.target.url).toBe('mqtt://127.0.0.1:1883');
    expect(s.target).not.toHaveProperty('urls');
    expect(s.target.sourceAddresses).toEqual(['127.0.0.2']);
    expect(s.durationMs).toBe(5000);
    expect(original.target.urls).toHaveLength(2);
    expect(original.durationMs).toBe(10_000);
  });

  it('no flags: the loaded scenario itself', () => {
    expect(scenarioAsRun(original, {})).toBe(original);
  });

  it('a WebSocket --broker cannot go with sourceAddresses; a malformed one is a usage error', () => {
    expect(() => overrideBroker(original, 'ws://127.0.0.1/mqtt')).toThrow(/sourceAddresses cannot be used with a WebSocket URL/);
    expect(() => overrideBroker(original, 'mqtt://[::1')).toThrow(UserError);
  });
});
