import { describe, expect, it } from 'vitest';
import { Backlog } from './backlog.js';

describe('Backlog', () => {
  it('is first in, first out across compactions', () => {
    const b = new Backlog();
    const out: number[] = [];
    for (let i = 0; i < 10_000; i++) b.push(i, i * 10);
    for (let i = 0; i < 6_000; i++) b.take((seq, due) => out.push(seq, due));
    for (let i = 10_000; i < 12_000; i++) b.push(i, i * 10);
    expect(b.size).toBe(6_000);
    while (b.size > 0) {
      const next = b.peekSeq();
      b.take((seq, due) => {
        expect(seq).toBe(next);
        out.push(seq, due);
      });
    }
    expect(out.length).toBe(24_000);
    for (let i = 0; i < 12_000; i++) {
      expect(out[2 * i]).toBe(i);
      expect(out[2 * i + 1]).toBe(i * 10);
    }
  });
});
