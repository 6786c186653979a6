import { describe, expect, it } from 'vitest';
import { inputEnd, inputStart, scheduleFlush, type Flushable } from './leanBatch.js';

/** An output that records when it is flushed; `flush` clears what it had, as LeanOutput's does. */
function output(name: string, log: string[]): Flushable & { waiting: boolean; add(): void } {
  const o = {
    waiting: false,
    add(): void {
      if (!o.waiting) scheduleFlush(o);
      o.waiting = true;
    },
    flush(): void {
      if (!o.waiting) return;
      o.waiting = false;
      log.push(name);
    },
  };
  return o;
}

const tick = () => new Promise<void>((r) => process.nextTick(r));

describe('leanBatch: one write per output per turn; a read writes its own output when it is handled', () => {
  it('outputs that got bytes in a callback are flushed on the next tick, once each', async () => {
    const log: string[] = [];
    const a = output('a', log);
    const b = output('b', log);
    a.add();
    b.add();
    a.add();
    expect(log).toEqual([]);
    await tick();
    expect(log).toEqual(['a', 'b']);
  });

  it("the read's own output is written at inputEnd, not on the tick; other outputs still go on the tick", async () => {
    const log: string[] = [];
    const own = output('own', log);
    const other = output('other', log);
    expect(inputStart(own)).toBe(true);
    own.add();
    own.add();
    other.add();
    expect(log).toEqual([]);
    inputEnd();
    expect(log).toEqual(['own']);
    await tick();
    expect(log).toEqual(['own', 'other']);
    // Nothing left over: the next turn's bytes of `own` are batched on the tick again.
    own.add();
    await tick();
    expect(log).toEqual(['own', 'other', 'own']);
  });

  it('a read that produced nothing writes nothing; bytes flushed early and added again are written at inputEnd', async () => {
    const log: string[] = [];
    const o = output('o', log);
    expect(inputStart(o)).toBe(true);
    inputEnd();
    expect(log).toEqual([]);
    expect(inputStart(o)).toBe(true);
    o.add();
    o.flush(); // e.g. flushIfLarge
    o.add();
    inputEnd();
    expect(log).toEqual(['o', 'o']);
    await tick();
    expect(log).toEqual(['o', 'o']);
  });

  it('a read inside another read is batched on the tick (only the outer one is taken over)', async () => {
    const log: string[] = [];
    const outer = output('outer', log);
    const inner = output('inner', log);
    expect(inputStart(outer)).toBe(true);
    expect(inputStart(inner)).toBe(false);
    inner.add();
    outer.add();
    inputEnd();
    expect(log).toEqual(['outer']);
    await tick();
    expect(log).toEqual(['outer', 'inner']);
  });
});
