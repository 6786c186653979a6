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

describe('Backlog ring', () => {
  it('keeps FIFO order while it wraps around and grows (pushes and takes interleaved)', () => {
    const b = new Backlog();
    let next = 0;
    let expected = 0;
    // Fill and drain unevenly so the ring's head sits mid-array whenever it grows.
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 7 + (round % 13) * 5; k++) {
        b.push(next, next * 2 + 0.5);
        next++;
      }
      for (let k = 0; k < 5 + (round % 7) * 4 && b.size > 0; k++) {
        expect(b.peekSeq()).toBe(expected);
        expect(b.peekDue()).toBe(expected * 2 + 0.5);
        b.drop();
        expected++;
      }
      expect(b.size).toBe(next - expected);
    }
    while (b.size > 0) {
      b.take((seq, due) => {
        expect(seq).toBe(expected);
        expect(due).toBe(expected * 2 + 0.5);
        expected++;
      });
    }
    expect(expected).toBe(next);
    expect(next).toBeGreaterThan(3000);
  });
});
