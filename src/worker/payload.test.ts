import { describe, expect, it } from 'vitest';
import { decodePayload, encodeJsonPayload, encodePayload } from './payload.js';

describe('payload header', () => {
  const h = { qos: 1 as const, runTag: 0xdeadbeef, publisher: 70_000, seq: 4_000_000_000, intendedMs: 1_795_000_000_123.456, sentMs: 1_795_000_000_124.5 };

  it('round-trips every field and pads to the requested size', () => {
    const buf = encodePayload(128, h);
    expect(buf.length).toBe(128);
    expect(buf.subarray(32).every((b) => b === 0)).toBe(true);
    expect(decodePayload(buf, 0xdeadbeef)).toEqual(h);
  });

  it('writes the documented little-endian layout byte for byte (response flag included)', () => {
    const buf = encodePayload(32, { ...h, qos: 2, response: true });
    const want = Buffer.alloc(32);
    want.writeUInt16LE(0x4d51, 0);
    want.writeUInt8(1, 2);
    want.writeUInt8(2 | 4, 3);
    want.writeUInt32LE(0xdeadbeef, 4);
    want.writeUInt32LE(70_000, 8);
    want.writeUInt32LE(4_000_000_000, 12);
    want.writeDoubleLE(h.intendedMs, 16);
    want.writeDoubleLE(h.sentMs, 24);
    expect(buf.equals(want)).toBe(true);
  });

  it('keeps sub-microsecond precision of epoch timestamps', () => {
    const got = decodePayload(encodePayload(32, h), h.runTag)!;
    expect(Math.abs(got.intendedMs - h.intendedMs)).toBeLessThan(0.001);
  });

  it('rejects payloads of another run, foreign bytes and short buffers', () => {
    const buf = encodePayload(64, h);
    expect(decodePayload(buf, 1)).toBeNull();
    expect(decodePayload(Buffer.from('{"temp":21.5,"humidity":40,"battery":99}'), h.runTag)).toBeNull();
    expect(decodePayload(buf.subarray(0, 31), h.runTag)).toBeNull();
  });

  it('refuses a size below the compact header (16 to 31 bytes: compactHeader.test.ts)', () => {
    expect(() => encodePayload(15, h)).toThrow(/smaller than the 16-byte compact header/);
  });
});

describe('JSON payloads', () => {
  const h = { qos: 2 as const, runTag: 77, publisher: 3, seq: 9, intendedMs: 1_795_000_000_001.25, sentMs: 1_795_000_000_002.5 };

  it('stay valid JSON objects and carry the header in "_mqb"', () => {
    const buf = encodeJsonPayload('{"temp": 21.5, "state": "on"}', h);
    const obj = JSON.parse(buf.toString('utf8'));
    expect(obj).toMatchObject({ temp: 21.5, state: 'on' });
    expect(typeof obj._mqb).toBe('string');
    expect(decodePayload(buf, 77)).toEqual(h);
    expect(decodePayload(buf, 78)).toBeNull();
  });

  it('works for an empty object and is not confused by other JSON', () => {
    expect(Object.hasOwn(JSON.parse(encodeJsonPayload('{ }', h).toString()), '_mqb')).toBe(true);
    expect(decodePayload(encodeJsonPayload('{}', h), 77)).toEqual(h);
    expect(decodePayload(Buffer.from('{"temperature": 21.5, "humidity": 40, "battery": 99, "x": 1}'), 77)).toBeNull();
  });
});
