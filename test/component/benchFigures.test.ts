// Figure (a) of the bench measures QoS 0 twice per contender: at the most it can send, and at a fixed 200k/s
// offered (the condition); its rows come from both, and a fixed phase mqbench reports as not complete
// is a failed measurement, not a value.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS bench module, no types
import { evaluate, FIGURES } from '../../bench/lib/figures.js';

describe('bench figure (a): QoS 0 at the max rate and at 200k/s offered', () => {
  const qos0 = FIGURES.find((f: { id: string }) => f.id === 'qos0');
  const opts = { quick: true, connections: 19_900 };

  it('both contenders run the fixed phase at 200,000 msg/s', () => {
    expect(qos0.raw(opts).fixedRate).toBe(200_000);
    expect(qos0.mqbench(opts).fixedRate).toBe(200_000);
  });

  it('the fixed-rate rows read the fixed phase; a partial fixed phase is a failed value', () => {
    const run = (sent: number, cpu: number, fixed: object) => ({ sentPerSec: sent, cpuPer100k: cpu, fixed });
    const ev = evaluate(
      qos0,
      {
        raw: [run(400_000, 0.02, { rate: 200_000, sentPerSec: 200_100, cpuPer100k: 0.03 })],
        lean: [run(300_000, 0.12, { rate: 200_000, status: 'complete', sentPerSec: 199_000, cpuPer100k: 0.09 })],
        mqttjs: [run(200_000, 0.4, { rate: 200_000, status: 'partial', sentPerSec: 150_000, cpuPer100k: 0.3 })],
      },
      ['lean', 'mqttjs'],
      opts,
    );
    const row = (key: string) => ev.rows.find((r: { key: string }) => r.key === key);
    expect(row('cpuPer100k').values).toEqual({ lean: 0.12, mqttjs: 0.4 });
    expect(row('sentPerSecFixed').raw).toBe(200_100);
    expect(row('cpuPer100kFixed').label).toBe('generator CPU per 100k msgs at 200k/s offered');
    expect(row('cpuPer100kFixed').raw).toBe(0.03);
    expect(row('cpuPer100kFixed').values).toEqual({ lean: 0.09, mqttjs: null });
    expect(row('cpuPer100kFixed').target).toBe('≤ 0.10');
    expect(row('cpuPer100kFixed').checks).toEqual([
      { driver: 'lean', met: true },
      { driver: 'mqttjs', met: null },
    ]);
  });
});
