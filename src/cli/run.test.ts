import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../scenario/load.js';
import { scenarioForRun } from './run.js';

const yaml = `
name: s
target: { urls: ["mqtt://127.0.0.1:1883", "mqtt://127.0.0.1:1884"] }
duration: 10s
groups:
  - name: pub
    count: 4
    publish: { topic: "t/{i}", qos: 0, rate: 100/s, payload: { size: 64 } }
`;

describe('scenarioForRun: the flags make a new scenario, the loaded one stays as loaded', () => {
  it('--scale, --broker and --duration', () => {
    const loaded = parseScenarioText(yaml, 's.yaml', {}).scenario;
    const before = structuredClone(loaded);
    const s = scenarioForRun(loaded, { scale: 2, broker: 'mqtt://10.0.0.1:1883', duration: 1500 });
    expect(s.groups[0].count).toBe(8);
    expect(s.groups[0].publish!.rate).toBe(200);
    expect(s.target.url).toBe('mqtt://10.0.0.1:1883');
    expect(s.target.urls).toBeUndefined();
    expect(s.durationMs).toBe(1500);
    expect(loaded).toEqual(before);
  });

  it('no flags: an equal copy, not the same object', () => {
    const loaded = parseScenarioText(yaml, 's.yaml', {}).scenario;
    const s = scenarioForRun(loaded, {});
    expect(s).toEqual(loaded);
    expect(s).not.toBe(loaded);
    expect(s.target).not.toBe(loaded.target);
  });
});
