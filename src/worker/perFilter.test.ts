import { describe, expect, it } from 'vitest';
import { perFilter } from './perFilter.js';

describe('perFilter: the per-filter arrays of a client', () => {
  it('a client without filters shares one frozen empty array (nothing allocated, and a write would throw)', () => {
    const a = perFilter<number>(0);
    const b = perFilter<boolean>(0);
    expect(a).toBe(b);
    expect(a).toEqual([]);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      a[0] = 1;
    }).toThrow(TypeError);
  });

  it('a client with filters gets its own writable array', () => {
    const a = perFilter<number>(2);
    const b = perFilter<number>(2);
    expect(a).not.toBe(b);
    a[1] = 5;
    expect(a[1]).toBe(5);
    expect(b).toEqual([]);
  });
});
