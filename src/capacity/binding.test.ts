import { describe, expect, it } from 'vitest';
import { bindingResource, brokerName, memoryAcrossSteps, type StepObservation } from './binding.js';

const am = (avg: number, max = avg) => ({ avg, max });
const step = (load: number, ok: boolean, o: Partial<StepObservation> = {}): StepObservation => ({ load, ok, saturated: false, connections: 10, ...o });
const mosquittoAt = (cores: number) => ({
  cores: am(cores * 0.95, cores),
  busiestThread: am(cores * 0.95, cores),
  threads: am(1),
  percentOfHost: am(cores * 50 * 0.95, cores * 50),
});

describe('bindingResource', () => {
  it.each<[string, StepObservation[], string, string]>([
    [
      'a single-threaded broker at one core of a 16-core host is CPU-bound, however idle the host looks',
      [
        step(10_000, true, mosquittoAt(0.4)),
        step(20_000, true, mosquittoAt(0.8)),
        step(40_000, false, mosquittoAt(0.99)),
        step(30_000, true, mosquittoAt(0.93)),
      ],
      'cpu (thread)',
      'mosquitto at 0.99 cores (single-threaded) at 40,000 msg/s: CPU-bound',
    ],
    [
      'a multi-threaded broker whose busiest thread is at one core',
      [step(1000, true), step(2000, false, { cores: am(2.5, 3.1), busiestThread: am(0.9, 0.97), threads: am(24), percentOfHost: am(30, 38) })],
      'cpu (thread)',
      'mosquitto at 0.97 cores (its busiest thread; 3.10 cores in all) at 2,000 msg/s: CPU-bound',
    ],
    [
      'a single thread that always had work on a contended host: CPU-bound, starved by the host',
      [step(100, true, mosquittoAt(0.34)), step(200, false, { ...mosquittoAt(0.56), busiestDemand: am(0.9, 0.98) })],
      'cpu (thread)',
      'mosquitto at 0.56 cores (single-threaded) at 200 msg/s: CPU-bound; its thread was running or waiting for a CPU 98 % of the time but ran only 56 %: other processes on the host took the rest of the core, so on a dedicated core the limit is higher',
    ],
    [
      'a thread that waited little and ran little is not CPU-bound',
      [step(100, true), step(200, false, { ...mosquittoAt(0.3), busiestDemand: am(0.6, 0.7) })],
      'not exhausted',
      'the SLO broke at 200 msg/s with CPU to spare (0.30 cores, busiest thread 0.30 cores, 15 % of the host): not CPU-bound; see latency and back-pressure',
    ],
    [
      'a multi-threaded broker at 95 % of its host',
      [step(1000, true), step(2000, false, { cores: am(3.5, 3.8), busiestThread: am(0.5, 0.6), percentOfHost: am(88, 95) })],
      'cpu (host)',
      'mosquitto at 3.80 cores = 95 % of its host at 2,000 msg/s: CPU-bound (the whole host)',
    ],
    [
      'open files at the limit',
      [step(1000, true), step(2000, false, { cores: am(0.1), busiestThread: am(0.1), fds: am(1000, 1020), fdLimit: 1024 })],
      'file descriptors',
      'mosquitto had 1,020 files open of its limit 1,024 at 2,000 msg/s: file-descriptor-bound',
    ],
    [
      'the generator saturated before any SLO failure',
      [step(1000, true, mosquittoAt(0.2)), step(2000, false, { ...mosquittoAt(0.3), saturated: true })],
      'generator',
      "the generator saturated first (at 2,000 msg/s): this is not the broker's limit",
    ],
    [
      "the generator saturated below the first failure, the broker's thread not at its limit there",
      [step(1000, true), step(4000, false, mosquittoAt(0.99)), step(2000, false, { ...mosquittoAt(0.5), saturated: true })],
      'generator',
      "the generator saturated first (at 2,000 msg/s, below the first SLO failure at 4,000 msg/s): this is not the broker's limit",
    ],
    [
      "the generator saturated at a step where the broker's thread was at its limit too: CPU-bound, said with care",
      [
        step(8, true, mosquittoAt(0.11)),
        step(16, false, { ...mosquittoAt(0.18), busiestDemand: am(1, 1.02) }),
        step(12, false, { ...mosquittoAt(0.17), busiestDemand: am(0.95, 1.0), saturated: true }),
      ],
      'cpu (thread)',
      'mosquitto at 0.17 cores (single-threaded) at 12 msg/s: CPU-bound (the generator saturated there too: take the load as approximate); its thread was running or waiting for a CPU 100 % of the time but ran only 17 %: other processes on the host took the rest of the core, so on a dedicated core the limit is higher',
    ],
    [
      'the SLO broke with CPU to spare',
      [step(1000, true), step(2000, false, mosquittoAt(0.3))],
      'not exhausted',
      'the SLO broke at 2,000 msg/s with CPU to spare (0.30 cores, busiest thread 0.30 cores, 15 % of the host): not CPU-bound; see latency and back-pressure',
    ],
    [
      'the broker was not observed',
      [step(1000, true), step(2000, false)],
      'not observed',
      "the SLO broke at 2,000 msg/s; the broker's resources were not observed, so what ran out is not known (add --broker-pid or --broker-metrics)",
    ],
    [
      'every step passed',
      [step(1000, true, mosquittoAt(0.2)), step(2000, true, mosquittoAt(0.4))],
      'none (ceiling)',
      "the SLO held at every step: the broker's limit is above the highest load tried",
    ],
  ])('%s', (_, steps, resource, text) => {
    const b = bindingResource(steps, { unit: 'msg/s', broker: 'mosquitto' });
    expect(b.resource).toBe(resource);
    expect(b.text).toBe(text);
  });

  it('reports RSS growth per connection across the steps of a connection search', () => {
    const steps = [1000, 2000, 4000, 8000].map((n) => step(n, n < 8000, { connections: n, rssBytes: am(0, 2_000_000 + n * 5222) }));
    expect(memoryAcrossSteps(steps)).toBe('RSS grew 5.10 KiB per connection (4 steps, 1,000 → 8,000 connections, R² 1.00)');
    expect(bindingResource(steps, { unit: 'connections' }).notes).toEqual([memoryAcrossSteps(steps)]);
    // The same connection count at every step (a rate search): nothing to say about memory.
    expect(memoryAcrossSteps([step(1, true, { rssBytes: am(1) }), step(2, true, { rssBytes: am(2) })])).toBeNull();
  });

  it('names the broker from its version string', () => {
    expect(brokerName('mosquitto version 2.0.11')).toBe('mosquitto');
    expect(brokerName('unknown')).toBe('the broker');
    expect(brokerName(undefined)).toBe('the broker');
  });
});
