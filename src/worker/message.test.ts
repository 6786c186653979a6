import { describe, expect, it } from 'vitest';
import type { Device } from './device.js';
import { MessageBuilder } from './message.js';
import { decodePayload, encodePayload } from './payload.js';

const RUN_TAG = 0x1234abcd;

/** Just what MessageBuilder.payload reads of a device: a binary payload of `size` (to `maxSize`) bytes. */
function device(global: number, size: number, maxSize?: number): Device {
  return { global, index: 0, clientId: 'c', names: {}, group: { name: 'g', count: 1, publish: { payload: { size, maxSize } } } } as unknown as Device;
}

describe('MessageBuilder.payload', () => {
  it('stamped into the reused buffer: the same bytes as a fresh payload, for fixed and ranged sizes', () => {
    const reused = new MessageBuilder(RUN_TAG, 'r');
    const fresh = new MessageBuilder(RUN_TAG, 'r');
    for (const dev of [device(3, 64), device(9, 32), device(11, 40, 300), device(5, 20)]) {
      for (let seq = 0; seq < 200; seq++) {
        const due = 1.7e12 + seq * 0.37;
        const a = reused.payload(dev, seq, (seq % 3) as 0 | 1 | 2, due, due + 0.05, true);
        const b = fresh.payload(dev, seq, (seq % 3) as 0 | 1 | 2, due, due + 0.05, false);
        expect(a.equals(b)).toBe(true);
        const h = { qos: seq % 3, runTag: RUN_TAG, publisher: dev.global, seq, intendedMs: due, sentMs: due + 0.05 };
        expect(b.equals(encodePayload(b.length, h as Parameters<typeof encodePayload>[1]))).toBe(true);
        expect(decodePayload(a, RUN_TAG, due)).toEqual(h);
      }
    }
  });

  it('reuses one buffer for a fixed size (nothing allocated per message) and hands out fresh ones otherwise', () => {
    const m = new MessageBuilder(RUN_TAG, 'r');
    const dev = device(1, 64);
    const first = m.payload(dev, 0, 0, 1e12, 1e12, true);
    const second = m.payload(dev, 1, 0, 1e12, 1e12, true);
    expect(second).toBe(first);
    expect(second.readUInt32LE(12)).toBe(1);
    expect(m.payload(dev, 2, 0, 1e12, 1e12, false)).not.toBe(first);
  });
});
