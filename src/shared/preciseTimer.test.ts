import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { startPreciseTimer } from './preciseTimer.js';

const started: { close(): void }[] = [];
afterEach(() => {
  for (const t of started.splice(0)) t.close();
});

async function ready() {
  const timer = startPreciseTimer(Worker, () => systemClock.now());
  started.push(timer);
  timer.slot(() => {}); // the first slot starts the helper thread
  for (let i = 0; i < 400 && !timer.ready; i++) await new Promise((r) => setTimeout(r, 5));
  expect(timer.ready).toBe(true);
  return timer;
}

const at = (timer: Awaited<ReturnType<typeof ready>>, ms: number) => new Promise<number>((resolve) => timer.slot(() => resolve(systemClock.now())).arm(ms));

describe('startPreciseTimer (a helper thread sleeping on a futex)', () => {
  it('runs the armed function on this thread, never before its instant', async () => {
    const timer = await ready();
    for (const delay of [0.3, 2.5, 7]) {
      const due = systemClock.now() + delay;
      expect(await at(timer, due)).toBeGreaterThanOrEqual(due);
    }
  });

  it('re-arming replaces the instant; disarm cancels; several slots fire in their order', async () => {
    const timer = await ready();
    const order: string[] = [];
    const a = timer.slot(() => order.push('a'));
    const b = timer.slot(() => order.push('b'));
    const c = timer.slot(() => order.push('c'));
    const t = systemClock.now();
    a.arm(t + 30);
    b.arm(t + 5);
    c.arm(t + 10);
    a.arm(t + 15); // replaces t + 30
    c.disarm();
    await new Promise((r) => setTimeout(r, 60));
    expect(order).toEqual(['b', 'a']);
  });

  it('a helper thread that fails runs what was armed at once and is no longer ready', () => {
    let onError: ((err: Error) => void) | undefined;
    const refs: string[] = [];
    let threads = 0;
    class FailingThread {
      constructor() {
        threads++;
      }
      on(event: string, fn: (x: never) => void) {
        if (event === 'error') onError = fn as (err: Error) => void;
        return this;
      }
      ref() {
        refs.push('ref');
      }
      unref() {
        refs.push('unref');
      }
      terminate() {
        return Promise.resolve(0);
      }
    }
    const timer = startPreciseTimer(FailingThread, () => systemClock.now());
    Object.assign(timer, { ready: true });
    expect(threads).toBe(0); // no helper thread before the first slot
    let ran = 0;
    timer.slot(() => ran++).arm(systemClock.now() + 60_000);
    expect(threads).toBe(1);
    expect(refs).toEqual(['unref', 'ref']); // armed: keeps the process alive
    onError!(new Error('boom'));
    expect(ran).toBe(1);
    expect(timer.ready).toBe(false);
    expect(refs.at(-1)).toBe('unref');
  });
});
