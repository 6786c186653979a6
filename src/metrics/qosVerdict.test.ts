import { describe, expect, it } from 'vitest';
import { judgeQos, retainedVerdict } from './qosVerdict.js';

describe('judgeQos', () => {
  it.each([
    [0, 100, 100, 0, 0, true, 'QoS 0: no loss, no duplicates'],
    [0, 100, 88, 0, 0, true, 'QoS 0: 12 lost (allowed), no duplicates'],
    [0, 100, 100, 2, 0, false, 'QoS 0: no loss, 2 duplicates — at-most-once broken'],
    [1, 100, 100, 3, 0, true, 'QoS 1: no loss, 3 duplicates (allowed)'],
    [1, 100, 99, 0, 0, false, 'QoS 1: 1 lost, no duplicates — at-least-once broken'],
    [2, 100, 100, 1, 0, false, 'QoS 2: no loss, 1 duplicate — exactly-once broken'],
    [2, 1000, 1000, 0, 4, true, 'QoS 2: no loss, no duplicates, 4 out of order'],
  ] as const)('QoS %i expected %i unique %i dup %i ooo %i', (q, expected, unique, dup, ooo, ok, verdict) => {
    const d = judgeQos(q, expected, unique, dup, ooo);
    expect(d.ok).toBe(ok);
    expect(d.verdict).toBe(verdict);
    expect(d.lost).toBe(Math.max(0, expected - unique));
    expect(d.received).toBe(unique + dup);
  });
});

describe('retainedVerdict', () => {
  it('says nothing without late subscriptions, and names a shortfall as broken', () => {
    expect(retainedVerdict(0, 0)).toBeNull();
    expect(retainedVerdict(50, 50)).toBe('Retained: all 50 retained messages reached the late subscriptions');
    expect(retainedVerdict(50, 47)).toMatch(/^Retained: 3 of 50 .* — retain broken$/);
  });
});
