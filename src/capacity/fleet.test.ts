import { describe, expect, it } from 'vitest';
import type { CapacityFacts } from './capacityFacts.js';
import { levelOf } from './confidence.js';
import { demandOf, messageCause, resourceLimits } from './fleet.js';
import { parseFleet } from './fleetSpec.js';
import { projectFleet } from './project.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** A message-rate capacity result: 41,000 msg/s published, each delivered once, 16-CPU mosquitto at one core. */
function rate(o: Partial<CapacityFacts> = {}): CapacityFacts {
  return {
    label: 'rate.json',
    searched: 'msg/s',
    maxLoad: 41_000,
    reason: 'the SLO breaks between 41,000 and 45,000',
    slo: ['endToEnd.p99<50ms'],
    passed: [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 41_000],
    generatorSaturated: false,
    atCeiling: false,
    deliveriesPerMessage: 1,
    payloadBytes: [256],
    qos: [1],
    connections: 1_010,
    broker: {
      cores: { avg: 0.9, max: 0.99 },
      percentOfHost: { avg: 5.6, max: 6.2 },
      busiestThread: { avg: 0.9, max: 0.99 },
      hostCpus: 16,
      sources: [],
      notes: [],
    },
    ...o,
  };
}

function conns(o: Partial<CapacityFacts> = {}): CapacityFacts {
  return {
    ...rate(),
    label: 'conn.json',
    searched: 'connections',
    maxLoad: 50_000,
    passed: [10_000, 20_000, 40_000, 50_000],
    deliveriesPerMessage: 0,
    payloadBytes: [],
    qos: [],
    connections: 50_000,
    ...o,
  };
}

const MEMORY = { bytesPerConnection: 5_000, interceptBytes: 100 * MiB, fromConnections: 0, toConnections: 50_000, r2: 0.998 };
const fleet = parseFleet('devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers');

describe('fleet demand', () => {
  it.each([
    ['devices=1000000, every=10s, fanin=10', { publishPerSec: 100_000, deliveriesPerSec: 100_000, throughPerSec: 200_000, connections: 1_000_010 }],
    ['devices=1000, rate=1/s, fanout=100', { publishPerSec: 1_000, deliveriesPerSec: 100_000, throughPerSec: 101_000, connections: 1_100 }],
    ['devices=50k, every=500ms, deliveries=0, consumers=0', { publishPerSec: 100_000, deliveriesPerSec: 0, throughPerSec: 100_000, connections: 50_000 }],
  ])('%s', (spec, want) => {
    expect(demandOf(parseFleet(spec))).toEqual(want);
  });
});

describe('node count per resource', () => {
  it.each([
    // [what, facts, options, resource, capacity, usable, nodes]
    ['messages, 30 % headroom', [rate()], { headroom: 0.3 }, 'messages', 82_000, 57_400, 4],
    ['messages, no headroom', [rate()], { headroom: 0 }, 'messages', 82_000, 82_000, 3],
    ['messages, the lowest of two results', [rate(), rate({ label: 'b', maxLoad: 20_000 })], { headroom: 0.3 }, 'messages', 40_000, 28_000, 8],
    ['connections', [conns()], { headroom: 0.3 }, 'connections', 50_000, 35_000, 29],
    ['memory: (32 GiB × 0.7 − 100 MiB) / 5,000 B', [rate({ memory: MEMORY })], { headroom: 0.3, nodeMemoryBytes: 32 * GiB }, 'memory', 6_850_976, 4_789_391, 1],
    ['file descriptors', [rate()], { headroom: 0.3, nodeFds: 65_536 }, 'file descriptors', 65_536, 45_875.2, 22],
  ] as const)('%s', (_what, facts, options, resource, capacity, usable, nodes) => {
    const l = resourceLimits(demandOf(fleet), [...facts], options).find((x) => x.resource === resource)!;
    expect(l.capacity).toBeCloseTo(capacity, 6);
    expect(l.usable).toBeCloseTo(usable, 6);
    expect(l.nodes).toBe(nodes);
    expect(l.model.at(-1)).toBe(
      `nodes = ⌈${resource === 'messages' ? '200,000' : '1,000,010'} / ${Number.isInteger(usable) ? usable.toLocaleString('en-US') : usable.toFixed(2)}⌉ = ${nodes}`,
    );
  });

  it('an exact multiple needs exactly that many nodes (no floating-point extra node)', () => {
    const l = resourceLimits(demandOf(parseFleet('devices=114800, rate=1/s, deliveries=0, consumers=0')), [rate()], { headroom: 0.3 })[0];
    expect(l.usable).toBe(57_400);
    expect(l.nodes).toBe(2);
  });

  it('the most nodes any resource needs is the answer, and that resource binds', () => {
    const p = projectFleet(fleet, [rate(), conns()], { headroom: 0.3, nodeFds: 1_048_576 });
    expect(p.limits.map((l) => [l.resource, l.nodes])).toEqual([
      ['messages', 4],
      ['connections', 29],
      ['file descriptors', 2],
    ]);
    expect(p.nodes).toBe(29);
    expect(p.binding?.resource).toBe('connections');
  });

  it("memory below the broker's own baseline leaves nothing usable: no node count", () => {
    const p = projectFleet(fleet, [rate({ memory: MEMORY })], { headroom: 0.3, nodeMemoryBytes: 128 * MiB });
    expect(p.limits.find((l) => l.resource === 'memory')!.nodes).toBe(Infinity);
    expect(p.nodes).toBeNull();
    expect(p.confidence).toBe('low');
  });

  it("without any capacity result for the fleet's resources there is no node count", () => {
    const p = projectFleet(fleet, [], { headroom: 0.3 });
    expect(p.nodes).toBeNull();
    expect(p.checks.filter((c) => c.severe).map((c) => c.text.split(':')[0])).toEqual(['message rate', 'connections']);
  });
});

describe('what ran out at the message limit', () => {
  it.each([
    ['a single-threaded broker at one core', {}, 'CPU: the busiest broker thread at 0.99 cores (one core is all a single thread can use)'],
    [
      'a multi-threaded broker at 95 % of its host',
      { broker: { cores: { avg: 14, max: 15.2 }, percentOfHost: { avg: 88, max: 95 }, busiestThread: { avg: 0.6, max: 0.7 }, sources: [], notes: [] } },
      "CPU: 95 % of the broker's host",
    ],
    [
      'CPU to spare',
      { broker: { cores: { avg: 2, max: 2.1 }, percentOfHost: { avg: 12, max: 13 }, sources: [], notes: [] } },
      'the SLO (endToEnd.p99<50ms) broke first; CPU was not exhausted (2.10 cores, 13 % of the host)',
    ],
    ['no observation', { broker: undefined }, "the SLO (endToEnd.p99<50ms) broke; the broker's CPU was not observed, so what ran out is not known"],
    [
      'the generator saturated, broker not observed',
      { generatorSaturated: true, broker: undefined },
      "the generator saturated first: the broker's limit is higher than measured",
    ],
    [
      "the generator saturated with the broker's thread at a full core: CPU",
      { generatorSaturated: true },
      'CPU: the busiest broker thread at 0.99 cores (one core is all a single thread can use)',
    ],
  ] as const)('%s', (_what, o, text) => {
    expect(messageCause(rate(o as Partial<CapacityFacts>))).toBe(text);
  });
});

describe('confidence', () => {
  it('low when a node would hold far more connections than the rate was measured with; the checks say by how much', () => {
    const p = projectFleet(fleet, [rate(), conns()], { headroom: 0.3 });
    const text = p.checks.map((c) => c.text).join('\n');
    expect(text).toContain('connections per node 34,483: the message capacity was measured with 1,010 (×34)');
    expect(text).toContain('one node was measured; 29 nodes are taken to add up');
    expect(p.confidence).toBe('low');
  });

  it('high when one node carries what was measured: same rate range, connections, size, QoS and fan-in', () => {
    const small = parseFleet('devices=1000, rate=10/s, qos=1, size=256B, fanin=10');
    const p = projectFleet(small, [rate(), conns()], { headroom: 0.3 });
    expect(p.nodes).toBe(1);
    expect(p.checks.every((c) => c.ok)).toBe(true);
    expect(p.confidence).toBe('high');
  });

  it('medium for a mild difference (another QoS), low for a payload far from the measured one', () => {
    const qos0 = projectFleet(parseFleet('devices=1000, rate=10/s, qos=0, size=256B, fanin=10'), [rate(), conns()], { headroom: 0.3 });
    expect(qos0.confidence).toBe('medium');
    const big = projectFleet(parseFleet('devices=1000, rate=10/s, qos=1, size=4KiB, fanin=10'), [rate(), conns()], { headroom: 0.3 });
    expect(big.confidence).toBe('low');
    expect(levelOf([])).toBe('high');
  });
});

describe("messageCause with a capacity search's own verdict", () => {
  it('takes the binding resource the capacity command named at the knee', async () => {
    const { messageCause } = await import('./fleet.js');
    const facts = {
      label: 'm',
      searched: 'msg/s',
      maxLoad: 19,
      reason: '',
      slo: ['endToEnd.p99<300ms'],
      passed: [19],
      generatorSaturated: false,
      atCeiling: false,
      deliveriesPerMessage: 1,
      payloadBytes: [64],
      qos: [0],
      connections: 2,
      binding: 'mosquitto at 0.99 cores (single-threaded) at 20 msg/s: CPU-bound',
    } as const;
    expect(messageCause({ ...facts, payloadBytes: [64], qos: [0], passed: [19], slo: ['endToEnd.p99<300ms'] })).toBe(
      'mosquitto at 0.99 cores (single-threaded) at 20 msg/s: CPU-bound',
    );
  });
});
