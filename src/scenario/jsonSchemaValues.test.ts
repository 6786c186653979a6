/**
 * The value patterns of the JSON Schema against the parsers the loader uses: on each value below, the editor
 * (JSON Schema) and the loader (its decoders) must agree. Values only the loader can judge (a size given as text
 * below 32 B, a QoS mix whose weights are all 0, "30" as a fraction, wildcard placement in filters, metric
 * names in thresholds) are left out on purpose: the JSON Schema accepts them and `mqbench validate` refuses.
 */
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from './jsonSchema.js';
import { minimal, newAjv, schemaAt, withValue, loaderIssuesAt } from './jsonSchema.test-helper.js';
import type { PathSegment } from './problems.js';

const root = scenarioJsonSchema();
const base = minimal(root);
const ajv = newAjv();

const CASES: Array<[string, PathSegment[], Array<[unknown, boolean]>]> = [
  [
    'duration',
    ['warmup'],
    [
      ['500ms', true],
      ['30s', true],
      ['1m30s', true],
      ['1m 30s', true],
      ['1.5s', true],
      [' 2m ', true],
      ['1h', true],
      ['0s', true],
      ['30 s', true],
      ['30', false],
      [30, false],
      ['1s1m', false],
      ['1ms30s', false],
      ['abc', false],
      ['-1s', false],
      ['', false],
      ['30S', false],
    ],
  ],
  [
    'rate',
    ['groups', 0, 'connect', 'rate'],
    [
      ['500/s', true],
      ['10/m', true],
      ['2/h', true],
      ['5/sec', true],
      ['3/min', true],
      ['1/hour', true],
      ['500/S', true],
      ['1.5/s', true],
      ['500 / s', true],
      ['500', false],
      [500, false],
      ['5/x', false],
      ['/s', false],
      ['-5/s', false],
    ],
  ],
  [
    'size',
    ['groups', 0, 'publish', 'payload', 'size'],
    [
      [128, true],
      ['128', true],
      ['1KB', true],
      ['4KiB', true],
      ['1MB', true],
      ['512B', true],
      ['1.5KB', true],
      ['2GB', false],
      ['x', false],
      [16, true],
      [15, true],
      [0, true],
      [0.5, false],
      [true, false],
    ],
  ],
  [
    'subscription qos',
    ['groups', 0, 'subscribe', 0, 'qos'],
    [
      [0, true],
      [1, true],
      [2, true],
      ['1', true],
      [3, false],
      [-1, false],
      ['one', false],
      [1.5, false],
    ],
  ],
  [
    'publish qos',
    ['groups', 0, 'publish', 'qos'],
    [
      [1, true],
      [{ 0: '70%', 1: '25%', 2: '5%' }, true],
      [{ 0: 7, 1: 2.5, 2: 0.5 }, true],
      [{ 1: 1 }, true],
      [{ 3: '5%' }, false],
      [{ 0: 'x' }, false],
      [{ 0: -1 }, false],
      [3, false],
      ['high', false],
    ],
  ],
  [
    'count',
    ['groups', 0, 'count'],
    [
      [1, true],
      [1000, true],
      ['100', true],
      [0, false],
      [-1, false],
      [1.5, false],
      ['many', false],
      [10_000_001, false],
    ],
  ],
  [
    'workers',
    ['workers'],
    [
      [4, true],
      [64, true],
      [0, false],
      [65, false],
    ],
  ],
  [
    'boolean',
    ['groups', 0, 'connect', 'clean'],
    [
      [true, true],
      [false, true],
      ['true', true],
      ['yes', false],
      [1, false],
    ],
  ],
  [
    'fraction',
    ['events', 0, 'disconnect', 'fraction'],
    [
      [0.3, true],
      ['30%', true],
      [1, true],
      ['100%', true],
      [0, false],
      [1.5, false],
      ['abc', false],
    ],
  ],
  [
    'stage level',
    ['stages', 0, 'rate'],
    [
      ['100%', true],
      ['150%', true],
      [0.5, true],
      [0, true],
      [11, false],
      ['fast', false],
    ],
  ],
  [
    'keepalive',
    ['groups', 0, 'connect', 'keepalive'],
    [
      ['60s', true],
      ['0s', true],
      ['60', false],
    ],
  ],
  [
    'mqttVersion',
    ['target', 'mqttVersion'],
    [
      ['3.1.1', true],
      [5, true],
      [4, true],
      ['5.0', true],
      ['3.1', true],
      [3, true],
      [6, false],
    ],
  ],
  [
    'broker URL',
    ['target', 'url'],
    [
      ['embedded', true],
      ['mqtt://localhost:1883', true],
      ['MQTT://h', true],
      ['mqtts://h:8883', true],
      ['ws://h/mqtt', true],
      ['wss://h', true],
      ['http://h', false],
      ['mqtt://', false],
      ['localhost:1883', false],
      [1883, false],
    ],
  ],
  [
    'one of several broker URLs',
    ['target', 'urls', 0],
    [
      ['mqtt://10.0.0.1:1883', true],
      ['WSS://h/mqtt', true],
      ['embedded', false],
      ['http://h', false],
      ['mqtt://', false],
      [1883, false],
    ],
  ],
  [
    'source address',
    ['target', 'sourceAddresses', 0],
    [
      ['127.0.0.2', true],
      ['10.1.2.3', true],
      ['::1', true],
      ['fd00::5', true],
      ['256.0.0.1', false],
      ['localhost', false],
      ['127.0.0', false],
      ['', false],
      [7, false],
    ],
  ],
  [
    'scenario name',
    ['name'],
    [
      ['fanout-commands', true],
      ['v1.2_x', true],
      ['a b', false],
      ['x/y', false],
      ['', false],
    ],
  ],
  [
    'group name',
    ['groups', 0, 'name'],
    [
      ['devices', true],
      ['dev.ices', false],
      [7, false],
    ],
  ],
  [
    'clientId',
    ['groups', 0, 'clientId'],
    [
      ['dev-{i}', true],
      ['dev-{run}-{group}-{i}', true],
      ['dev-{{lit}}-{i}', true],
      ['dev-{target}-{i}', false],
      ['dev-{x}', false],
      ['dev-{i', false],
      ['dev}-{i}', false],
      ['', false],
    ],
  ],
  [
    'publish topic',
    ['groups', 0, 'publish', 'topic'],
    [
      ['cmd/{target}', true],
      ['t/{seq}/{clientId}', true],
      ['a/+/b', false],
      ['a/#', false],
      ['a/{x}', false],
    ],
  ],
  [
    'subscribe topic',
    ['groups', 0, 'subscribe', 0, 'topic'],
    [
      ['cmd/{i}', true],
      ['a/#', true],
      ['$share/g/a/+', true],
      ['a/{seq}', false],
    ],
  ],
  [
    'threshold',
    ['thresholds', 0],
    [
      ['endToEnd.p99 < 50ms', true],
      ['messages.lost == 0', true],
      ['throughput.receivedPerSec >= 1000/s', true],
      ['publishAck.p999<0.5s', true],
      ['endToEnd.p99 50ms', false],
      ['lost', false],
      ['endToEnd.p99 < -1', false],
    ],
  ],
  [
    'TLS server name',
    ['target', 'tls', 'servername'],
    [
      ['broker.internal', true],
      ['broker', true],
      ['10.0.0.1', false],
      ['bad host', false],
    ],
  ],
];

describe('JSON Schema value patterns agree with the loader', () => {
  for (const [what, path, values] of CASES) {
    it(what, () => {
      const check = ajv.compile(schemaAt(root, path)!);
      for (const [value, valid] of values) {
        const label = `${what} ${JSON.stringify(value)}`;
        expect(loaderIssuesAt(withValue(root, base, path, value), path).length === 0, `${label} (loader)`).toBe(valid);
        expect(check(value), `${label} (JSON Schema)`).toBe(valid);
      }
    });
  }

  it('accepts any value that uses ${VAR}: only the loader, with the environment, can judge it', () => {
    const env: Array<[PathSegment[], string]> = [
      [['warmup'], '${WARMUP}'],
      [['groups', 0, 'count'], '${DEVICES}'],
      [['groups', 0, 'connect', 'rate'], '${RATE}/s'],
      [['groups', 0, 'connect', 'clean'], '${CLEAN}'],
      [['target', 'mqttVersion'], '${MQTT_VERSION}'],
      [['target', 'url'], 'mqtt://${BROKER_HOST}:1883'],
      [['groups', 0, 'clientId'], '${PREFIX}-{i}'],
      [['name'], '${SCENARIO}'],
    ];
    for (const [path, value] of env) expect(ajv.validate(schemaAt(root, path)!, value), `${path.join('.')} ${value}`).toBe(true);
  });
});
