import { describe, expect, it } from 'vitest';
import { FleetSpecError, parseFleet } from './fleetSpec.js';

describe('fleet spec', () => {
  it('reads the example with its words after the number', () => {
    expect(parseFleet('devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers')).toMatchObject({
      devices: 1_000_000,
      perDevicePerSec: 0.1,
      qos: 1,
      size: 256,
      deliveries: 1,
      consumers: 10,
      pattern: 'fan-in to 10 shared subscribers',
    });
  });

  it.each([
    ['devices=1,000,000, rate=2/m', { devices: 1_000_000, perDevicePerSec: 1 / 30 }],
    ['devices=250k, rate=1/s, fanout=3', { devices: 250_000, deliveries: 3, consumers: 3 }],
    ['DEVICES=1M, every=1m, deliveries=2, consumers=0', { devices: 1_000_000, perDevicePerSec: 1 / 60, deliveries: 2, consumers: 0 }],
    ['devices=10, every=1s', { deliveries: 1, consumers: 1, pattern: 'assumed: each message delivered once, to 1 consumer (say fanin=N or fanout=N)' }],
    ['devices=1_000, every=500ms, qos=0', { devices: 1000, perDevicePerSec: 2, qos: 0 }],
  ])('%s', (spec, want) => {
    expect(parseFleet(spec)).toMatchObject(want);
  });

  it.each([
    ['every=10s', 'fleet spec: devices is missing'],
    ['devices=10', 'fleet spec: give how often each device publishes: every=<duration> or rate=<per device>, not both'],
    ['devices=10, every=1s, rate=1/s', 'not both'],
    ['devices=ten, every=1s', 'devices=ten: expected a whole number of at least 1'],
    ['devices=0, every=1s', 'devices=0: expected a whole number of at least 1'],
    ['devices=10, every=10', 'every=10: expected a duration like 30s'],
    ['devices=10, evry=1s', 'fleet spec: unknown key "evry"'],
    ['devices=10, every=1s, qos=3', 'qos=3: must be 0, 1 or 2'],
    ['devices=10, every=1s, fanin=2, fanout=3', 'give fanin or fanout, not both'],
    ['devices=10, every=1s, devices=5', 'devices is given twice'],
    ['devices=10 every=1s', 'devices=10 every=1s: expected a whole number'],
    ['devices=10, publish every 10s', '"publish every 10s" is not key=value'],
  ])('%s → a clear error with a hint', (spec, message) => {
    let err: unknown;
    try {
      parseFleet(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FleetSpecError);
    expect((err as FleetSpecError).message).toContain(message);
    expect((err as FleetSpecError).hint.length).toBeGreaterThan(10);
  });
});
