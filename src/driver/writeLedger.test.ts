import { describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import { NotSent } from './driver.js';
import { WriteLedger } from './writeLedger.js';

/** A stream as the ledger reads it: nothing buffered, not destroyed. */
const stream = { writableLength: 0, destroyed: false } as unknown as Writable;

describe('WriteLedger QoS 0 ring', () => {
  it('settles exactly the publishes at or below each written position, in order, while the ring wraps and grows', () => {
    const ledger = new WriteLedger(stream);
    const settled: number[] = [];
    const failed: number[] = [];
    let pos = 0;
    let next = 0;
    const done = (err?: Error) => (err instanceof NotSent ? failed : settled).push(settled.length + failed.length);
    for (let round = 0; round < 60; round++) {
      // Publishes of 10 bytes each; a write carries some of them; the ring's head moves mid-array before it grows.
      for (let k = 0; k < 5 + (round % 9) * 7; k++, next++) ledger.published(done, (pos += 10));
      const upTo = pos - 10 * (round % 4);
      ledger.mark(upTo);
      ledger.onWritten(null);
      expect(settled.length).toBe(upTo / 10);
    }
    expect(settled).toEqual([...Array(settled.length).keys()]);
    ledger.close('closed');
    expect(settled.length + failed.length).toBe(next);
    expect(failed.length).toBe(next - settled.length);
  });

  it('a done that publishes again (a release after a write) is settled by a later write, not lost', () => {
    const ledger = new WriteLedger(stream);
    let calls = 0;
    const again = (): void => {
      calls++;
      if (calls <= 40) ledger.published(again, 100 + calls);
    };
    for (let k = 1; k <= 20; k++) ledger.published(again, k);
    ledger.mark(20);
    ledger.onWritten(null);
    expect(calls).toBe(20);
    ledger.mark(1000);
    ledger.onWritten(null);
    expect(calls).toBe(60);
  });
});
