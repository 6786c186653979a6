import { describe, expect, it } from 'vitest';
import { parsed } from '../thresholds/parsed.test-helper.js';
import { childArgs } from './processes.js';

describe('run --processes: the arguments of each child', () => {
  it('segment k/N, the shared run id, its own results file; the options that shape the run are passed on', () => {
    const flags = {
      driver: 'lean',
      broker: 'mqtt://h:1883',
      duration: 1500,
      scale: 0.5,
      workers: 2,
      quiet: false,
      threshold: parsed(['messages.lost == 0']),
      processes: 3,
    };
    expect(childArgs('s.yaml', flags, 1, 3, 'r1', undefined, '/tmp/x/segment-1-of-3.json')).toEqual([
      'run',
      's.yaml',
      '--segment',
      '1/3',
      '--run-id',
      'r1',
      '--out',
      '/tmp/x/segment-1-of-3.json',
      '--quiet',
      '--driver',
      'lean',
      '--broker',
      'mqtt://h:1883',
      '--duration',
      '1500ms',
      '--scale',
      '0.5',
      '--workers',
      '2',
    ]);
  });

  it('a fixed start time goes to every child as --start-at; thresholds stay with the parent', () => {
    const flags = { driver: 'mqttjs', threshold: parsed(['endToEnd.p99 < 1']) };
    const args = childArgs('s.yaml', flags, 0, 2, 'r2', Date.UTC(2030, 0, 2, 3, 4, 5), 'o.json');
    expect(args).toContain('--start-at');
    expect(args[args.indexOf('--start-at') + 1]).toBe('2030-01-02T03:04:05.000Z');
    expect(args).not.toContain('--threshold');
  });
});
