import { describe, expect, it } from 'vitest';
import { COMPACT_MAGIC, COMPACT_MAX_PUBLISHERS, decodeDelay, encodeDelay } from './compactHeader.js';
import { decodePayload, encodePayload, responsePayload, type Header } from './payload.js';

const T0 = 1_795_000_000_123.4568; // an epoch ms with a fraction (exactly this double)
const WRAP_MS = 2 ** 36 / 4096; // 16,777,216 ms = 4 h 40 min

/** A deterministic generator (so the statistical tests are reproducible). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

describe('compact header: round trips', () => {
  const base: Header = { qos: 1, runTag: 0xdeadbeef, publisher: 70_000, seq: 4_000_000_000, intendedMs: T0, sentMs: T0 + 0.75 };

  it.each([16, 20, 31])('a %i-byte payload carries it, zero-filled after 16 bytes', (size) => {
    const buf = encodePayload(size, base);
    expect(buf.length).toBe(size);
    expect(buf[0] >> 4).toBe(COMPACT_MAGIC);
    expect(buf.subarray(16).every((b) => b === 0)).toBe(true);
    const got = decodePayload(buf, base.runTag, T0 + 5)!;
    expect(got).toMatchObject({ qos: 1, runTag: 0xdeadbeef, publisher: 70_000, seq: 4_000_000_000 });
    expect(got.intendedMs).toBe(T0); // the publisher's very double
    expect(got.sentMs).toBe(base.sentMs); // 0.75 ms after its slot: exact
  });

  it('32 bytes and more keep the full header', () => {
    expect(encodePayload(32, base).readUInt16LE(0)).toBe(0x4d51);
    expect(decodePayload(encodePayload(32, base), base.runTag, T0)).toEqual(base);
  });

  it.each([
    ['smallest fields', { publisher: 0, seq: 0, qos: 0 as const }],
    ['largest fields', { publisher: COMPACT_MAX_PUBLISHERS - 1, seq: 2 ** 32 - 1, qos: 2 as const }],
    ['a response', { response: true as const }],
  ])('%s round-trip', (_name, fields) => {
    const h = { ...base, ...fields };
    const got = decodePayload(encodePayload(16, h), h.runTag, T0 + 1000)!;
    expect({ ...got, sentMs: 0 }).toEqual({ ...h, sentMs: 0 });
  });

  it('keeps every intended time of a schedule exactly (so warm-up and per-second judgements match the full header)', () => {
    const t0 = 1_795_000_000_000 + 1 / 3;
    let exact = true;
    for (let k = 0; k < 10_000; k++) {
      const due = t0 + (k * 1000) / 333;
      const got = decodePayload(encodePayload(16, { ...base, intendedMs: due, sentMs: due + 0.4 }), base.runTag, due + 2)!;
      exact &&= got.intendedMs === due && Math.floor((got.intendedMs - t0) / 1000) === Math.floor((due - t0) / 1000);
    }
    expect(exact).toBe(true);
  });

  it('places the wrapped time by the receiver clock: 4.5 h late, or a publisher clock 30 s ahead', () => {
    const buf = encodePayload(16, base);
    for (const late of [0, 1, 60_000, 4.5 * 3_600_000, -30_000]) {
      expect(decodePayload(buf, base.runTag, T0 + late)!.intendedMs).toBe(T0);
    }
  });

  it('the documented limit: a delivery more than one wrap (4 h 40 min) late is misread by one wrap', () => {
    const got = decodePayload(encodePayload(16, base), base.runTag, T0 + WRAP_MS + 1000)!;
    expect(got.intendedMs).toBe(T0 + WRAP_MS);
  });
});

describe('compact header: send delay (in ticks of 2^-12 ms)', () => {
  it.each([
    [0, 0],
    [1, 1],
    [4095, 4095],
    [4096, 4096],
    [4097, 4096],
    [4111, 4096],
    [4112, 4128],
    [8191, 8192],
  ])('%i ticks → %i ticks', (ticks, back) => {
    expect(decodeDelay(encodeDelay(ticks))).toBe(back);
  });

  it('is exact below 1 ms, within 0.4 % above it up to weeks, and saturates past ~49 days', () => {
    const next = lcg(7);
    let worst = 0;
    let fits = true;
    for (let i = 0; i < 20_000; i++) {
      const ticks = Math.round(4096 * 2 ** ((next() / 2 ** 32) * 30));
      const field = encodeDelay(ticks);
      fits &&= field >= 0 && field < 8192;
      worst = Math.max(worst, Math.abs(decodeDelay(field) - ticks) / ticks);
    }
    expect(fits).toBe(true);
    expect(worst).toBeGreaterThan(0.003); // the bound below is tight, not vacuous
    expect(worst).toBeLessThanOrEqual(1 / 256);
    expect(decodeDelay(encodeDelay(1e15))).toBe(255 * 2 ** 36);
    expect(encodeDelay(-5)).toBe(0); // a send before its slot does not happen; never negative
  });

  it("gives back the publisher's very send time when it left less than 1 ms after its slot", () => {
    const h: Header = { qos: 1, runTag: 1, publisher: 1, seq: 1, intendedMs: T0, sentMs: T0 + 0.999 };
    expect(decodePayload(encodePayload(16, h), 1, T0 + 3)!.sentMs).toBe(h.sentMs);
  });
});

describe('compact header: telling other messages apart', () => {
  const h: Header = { qos: 1, runTag: 0x12345678, publisher: 42, seq: 7, intendedMs: T0, sentMs: T0 + 0.2 };

  it('another run passes about 1 in 65,536 times, independently per message (not a whole run)', () => {
    const next = lcg(1);
    let accepted = 0;
    for (let i = 0; i < 300_000; i++) if (decodePayload(encodePayload(16, { ...h, seq: i }), next(), T0)) accepted++;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(15); // expected ~4.6
    const other = 0x12345679; // one fixed foreign run: most of its messages are rejected, never all accepted
    let fromOther = 0;
    for (let i = 0; i < 300_000; i++) if (decodePayload(encodePayload(16, { ...h, seq: i, runTag: other }), h.runTag, T0)) fromOther++;
    expect(fromOther).toBeLessThan(15);
  });

  it('random bytes led by the magic nibble pass about 1 in 65,536; text never (0xB_ cannot start UTF-8)', () => {
    const next = lcg(99);
    let accepted = 0;
    const buf = Buffer.alloc(16);
    for (let i = 0; i < 300_000; i++) {
      for (let k = 0; k < 16; k += 4) buf.writeUInt32LE(next(), k);
      buf[0] = (COMPACT_MAGIC << 4) | (buf[0] & 0xf);
      if (decodePayload(buf, h.runTag, T0)) accepted++;
    }
    expect(accepted).toBeLessThan(15);
    expect(decodePayload(Buffer.from('{"temp":21.5,"ok":1}'), h.runTag, T0)).toBeNull();
    expect(decodePayload(Buffer.from('µ-prefixed text..'), h.runTag, T0)).toBeNull(); // 'µ' is C2 B5 in UTF-8
  });

  it('a corrupted field fails the check; shorter buffers and a missing receiver clock give null', () => {
    const buf = encodePayload(16, h);
    for (const at of [0, 1, 2, 3, 6, 10, 14]) {
      const bad = Buffer.from(buf);
      bad[at] ^= 0x10;
      expect(decodePayload(bad, h.runTag, T0), `byte ${at}`).toBeNull();
    }
    expect(decodePayload(buf.subarray(0, 15), h.runTag, T0)).toBeNull();
    expect(decodePayload(buf, h.runTag)).toBeNull();
  });
});

describe('compact header: limits and responses', () => {
  const h: Header = { qos: 2, runTag: 5, publisher: 9, seq: 3, intendedMs: T0, sentMs: T0 + 4 };

  it('refuses sizes below 16 bytes and publishers past 2^24, with a clear message', () => {
    expect(() => encodePayload(15, h)).toThrow(/payload size 15 is smaller than the 16-byte compact header/);
    expect(() => encodePayload(16, { ...h, publisher: COMPACT_MAX_PUBLISHERS })).toThrow(
      /publisher 16777216 does not fit the compact header.*32 bytes or more/,
    );
  });

  it('a responder answers with the compact request header marked as a response, still valid', () => {
    const request = encodePayload(24, h);
    const answer = responsePayload(request.subarray(0, 32))!;
    expect(answer.length).toBe(16);
    const got = decodePayload(answer, h.runTag, T0 + 3)!;
    expect(got).toMatchObject({ response: true, publisher: 9, seq: 3, qos: 2 });
    expect(got.intendedMs).toBe(T0);
    expect(responsePayload(Buffer.alloc(20))).toBeNull();
  });
});
