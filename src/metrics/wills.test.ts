import { describe, expect, it } from 'vitest';
import { willsOf, willVerdict } from './wills.js';

describe('last wills as their own stream', () => {
  it('is absent when no will was owed or received', () => {
    expect(willsOf({ willsExpected: 0, willsExpectedQos0: 0, willsReceived: 0 })).toBeUndefined();
  });

  it('kept: every owed QoS 1/2 will arrived', () => {
    const w = willsOf({ willsExpected: 5, willsExpectedQos0: 0, willsReceived: 5 })!;
    expect(w).toEqual({ expected: 5, expectedQos0: 0, received: 5, missing: 0, unexpected: 0, ok: true });
    expect(willVerdict(w)).toMatch(/: kept\.$/);
  });

  it('broken: a broker that loses QoS 1 wills', () => {
    const w = willsOf({ willsExpected: 5, willsExpectedQos0: 0, willsReceived: 3 })!;
    expect(w.ok).toBe(false);
    expect(w.missing).toBe(2);
    expect(willVerdict(w)).toContain('promise broken, 2 QoS 1/2 will deliveries missing');
  });

  it('broken: a broker that sends wills nobody owed (after a graceful disconnect)', () => {
    const w = willsOf({ willsExpected: 0, willsExpectedQos0: 0, willsReceived: 2 })!;
    expect(w).toMatchObject({ unexpected: 2, ok: false });
    expect(willVerdict(w)).toContain('2 more than owed');
  });

  it('QoS 0 wills may be lost: said, not held against the broker', () => {
    const w = willsOf({ willsExpected: 2, willsExpectedQos0: 3, willsReceived: 3 })!;
    expect(w).toMatchObject({ missing: 2, unexpected: 0, ok: true });
    expect(willVerdict(w)).toContain('2 QoS 0 will deliveries lost, which QoS 0 allows');
  });
});
