import { describe, expect, it } from 'vitest';
import { Gate } from './gate.js';

describe('Gate', () => {
  it('runs at most `limit` tasks at a time, the rest in arrival order, and every task once', async () => {
    const gate = new Gate(3);
    let peak = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const results = Array.from({ length: 10 }, (_, n) =>
      gate.run(() => {
        order.push(n);
        peak = Math.max(peak, gate.inFlight);
        return new Promise<number>((r) => releases.push(() => r(n * 2)));
      }),
    );
    expect(order).toEqual([0, 1, 2]);
    while (releases.length) {
      releases.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(results)).toEqual([...Array(10).keys()].map((n) => n * 2));
    expect(order).toEqual([...Array(10).keys()]);
    expect(peak).toBe(3);
  });

  it('a failed task frees its place and rejects only its own promise', async () => {
    const gate = new Gate(1);
    const a = gate.run(() => Promise.reject(new Error('refused')));
    const b = gate.run(() => Promise.resolve('ok'));
    await expect(a).rejects.toThrow('refused');
    await expect(b).resolves.toBe('ok');
    expect(gate.inFlight).toBe(0);
  });

  it('a finished task lets the next one start at once: in the same event-loop turn, no timer', async () => {
    const gate = new Gate(1);
    let release!: () => void;
    let next = false;
    void gate.run(() => new Promise<void>((r) => (release = r)));
    void gate.run(async () => void (next = true));
    expect(next).toBe(false);
    release();
    // Only microtasks run here (no timer and no I/O turn can): the waiting task must start among them.
    for (let k = 0; k < 10 && !next; k++) await Promise.resolve();
    expect(next).toBe(true);
  });
});
