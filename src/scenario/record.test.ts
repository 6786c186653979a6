import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './load.js';
import { scenarioRecord } from './record.js';
import { loaded } from '../../test/helpers/scenario.js';

const yaml = `name: rec
groups:
  - name: devices
    count: 10
    subscribe: [ "cmd/{i}" ]
  - name: backend
    count: 2
    publish: { topic: "cmd/{target}", targets: devices, every: 500ms, qos: 1 }
  - name: sensors
    count: 3
    publish: { topic: "t/{i}", rate: 10/s }
events:
  - { at: 2s, disconnect: { group: devices, fraction: 30%, abrupt: true } }
  - { at: 3s, pause: { group: backend } }
  - { at: 4s, resume: { group: backend } }
thresholds: [ "endToEnd.p99 < 50ms" ]
`;

describe('scenarioRecord: the scenario as results files have always recorded it', () => {
  const { scenario } = loaded(parseScenarioText(yaml, 'rec.yaml', {}));
  const record = scenarioRecord(scenario);

  it('keys events by their action', () => {
    expect(record.events).toEqual([
      { atMs: 2000, disconnect: { group: 'devices', fraction: 0.3, abrupt: true, reconnectAfterMs: 1000, jitterMs: 1000 } },
      { atMs: 3000, pause: { group: 'backend' } },
      { atMs: 4000, resume: { group: 'backend' } },
    ]);
  });

  it("records a publish rate as the group's messages per second, in its place among the keys", () => {
    const groups = record.groups as { publish?: Record<string, unknown> }[];
    expect(groups.map((g) => g.publish?.rate)).toEqual([undefined, 4, 10]); // 2 clients every 500 ms; 10/s
    expect(Object.keys(groups[1].publish!)).toEqual(['topic', 'qos', 'retain', 'rate', 'payload', 'targets']);
  });

  it('records thresholds as their expressions, and is plain JSON apart from the scenario', () => {
    expect(record.thresholds).toEqual(['endToEnd.p99 < 50ms']);
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    expect(scenario.events[0]).toMatchObject({ kind: 'disconnect' }); // the scenario is untouched
  });
});
