/**
 * The compact mqbench header: 16 bytes, for payloads of 16 to 31 bytes (the Open MQTT Benchmark Suite
 * publishes 16-byte messages). Times are in ticks of 2^-12 ms (0.244 µs): an epoch-ms double of this era
 * (2004 to 2039 and on) is an exact number of ticks, so the intended time decodes to the publisher's very
 * double and the receiver's warm-up and per-second judgements come out exactly as with the full header.
 * Little-endian:
 *
 *    0  u8   bits 4-7: 0xB (a compact header; 0xB0-0xBF never start UTF-8 text) · bits 0-3: intended time bits 32-35
 *    1  u8   bits 0-1 publish QoS · bit 2 response · bits 3-7 send delay bits 8-12
 *    2  u8   send delay bits 0-7
 *    3  u24  publisher (global client index)
 *    6  u32  sequence number (per publisher)
 *   10  u32  intended time bits 0-31: epoch ticks modulo 2^36
 *   14  u16  check: a hash of the run tag, the format and bytes 0-13 (the response bit left out)
 *
 * What it gives up against the 32-byte header, and what that costs:
 * - The run tag is not stored; a 16-bit hash of it and the fields is. A message of another run (or bytes that
 *   happen to start with 0xB_) passes with probability 1/65,536, independently per message — never a whole run's.
 * - The intended time wraps every 2^36 ticks (4 h 40 min): the receiver places it at the latest time ≤ its own
 *   clock (+ 60 s for a publisher's clock ahead of it). Runs may last any length; a message delivered more than
 *   ~4.6 h after its intended time would be misread (as one wrap earlier).
 * - The actual send time is the delay after the intended time in 13 bits: exact below 1 ms (on-time sends:
 *   the same double as the publisher's, as the subscription checks by send time need), above that a float
 *   within 0.4 % (10 ms late: ±39 µs), up to ~49 days.
 * - Publishers (global client index) below 2^24 = 16,777,216; no format version byte (the check covers it).
 * - Exactness needs real epoch clocks (≥ 2^40 ms, i.e. 2004 on); a test clock near 0 is rounded to ticks.
 */
import { COMPACT_HEADER_BYTES, COMPACT_MAX_PUBLISHERS, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import type { Header } from './header.js';

export { COMPACT_MAX_PUBLISHERS };
/** The high nibble of byte 0. */
export const COMPACT_MAGIC = 0xb;
/** Time ticks per millisecond. */
export const TICKS_PER_MS = 4096;
const WRAP = 2 ** 36;
const LOW = 2 ** 32;
/** A publisher's clock may be this far ahead of the receiver's (ticks) before a time is placed one wrap earlier. */
const AHEAD = 60_000 * TICKS_PER_MS;
const RESPONSE = 4;
/** Mixed into the check: a later compact format fails this one's check. */
const FORMAT = 1;
const runTag32 = (t: number) => t >>> 0;

/** 16 bits from the run tag and the header's fields (murmur3-style mixing, no allocation). */
function check(runTag: number, b0: number, flagsDelay: number, publisher: number, seq: number, low: number): number {
  let h = Math.imul(runTag ^ (FORMAT << 24) ^ (b0 << 16) ^ flagsDelay, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ publisher, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ seq, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ low, 0x27d4eb2f);
  h ^= h >>> 15;
  return (h ^ (h >>> 16)) & 0xffff;
}

/** Delays below this many ticks (1 ms) are stored exactly. */
const EXACT_DELAY = 4096;

/**
 * A send delay in whole ticks (≥ 0) as a 13-bit field: below 4096 the ticks themselves; above, 4096 +
 * (exponent E << 7) + m for (128 + m) · 2^(E + 5) ticks — within 0.4 %, up to ~49 days (then saturated).
 */
export function encodeDelay(ticks: number): number {
  if (!(ticks > 0)) return 0;
  if (ticks < EXACT_DELAY) return Math.round(ticks);
  let s = ticks < LOW ? 24 - Math.clz32(ticks) : Math.floor(Math.log2(ticks)) - 7; // ticks / 2^s in [128, 256)
  let m = Math.round(ticks / 2 ** s);
  if (m >= 256) {
    m = 128;
    s++;
  }
  if (s - 5 > 31) return 8191;
  return EXACT_DELAY | ((s - 5) << 7) | (m - 128);
}

export function decodeDelay(field: number): number {
  return field < EXACT_DELAY ? field : (128 + (field & 127)) * 2 ** (((field >>> 7) & 31) + 5);
}

/** Writes the compact header at the start of `buf` (at least 16 bytes, zero-filled after them). */
export function writeCompact(buf: Buffer, h: Header): void {
  if (!(h.publisher >= 0 && h.publisher < COMPACT_MAX_PUBLISHERS)) {
    throw new RangeError(
      `publisher ${h.publisher} does not fit the compact header (below ${COMPACT_MAX_PUBLISHERS.toLocaleString('en-US')}); use payloads of 32 bytes or more`,
    );
  }
  const intended = Math.round(h.intendedMs * TICKS_PER_MS); // exact for epoch ms ≥ 2^40 (2004 on)
  const t = intended % WRAP;
  const low = t % LOW;
  const delay = encodeDelay(Math.round(h.sentMs * TICKS_PER_MS) - intended);
  const b0 = (COMPACT_MAGIC << 4) | ((t - low) / LOW);
  const flags = (h.qos & 3) | ((delay >>> 8) << 3);
  const m = delay & 255;
  buf[0] = b0;
  buf[1] = flags | (h.response ? RESPONSE : 0);
  buf[2] = m;
  buf.writeUIntLE(h.publisher, 3, 3);
  buf.writeUInt32LE(h.seq >>> 0, 6);
  buf.writeUInt32LE(low, 10);
  buf.writeUInt16LE(check(runTag32(h.runTag), b0, flags | (m << 8), h.publisher, h.seq >>> 0, low), 14);
}

/** The header of a compact payload of this run, placed in time by the receiver's clock; null otherwise. */
export function readCompact(buf: Buffer, runTag: number, nowMs: number): Header | null {
  if (buf.length < COMPACT_HEADER_BYTES || buf[0] >>> 4 !== COMPACT_MAGIC) return null;
  const b0 = buf[0];
  const b1 = buf[1];
  const m = buf[2];
  const publisher = buf.readUIntLE(3, 3);
  const seq = buf.readUInt32LE(6);
  const low = buf.readUInt32LE(10);
  if (buf.readUInt16LE(14) !== check(runTag32(runTag), b0, (b1 & ~RESPONSE) | (m << 8), publisher, seq, low)) return null;
  const now = Math.floor(nowMs * TICKS_PER_MS);
  let back = ((now % WRAP) - ((b0 & 0xf) * LOW + low)) % WRAP;
  if (back < 0) back += WRAP;
  if (back > WRAP - AHEAD) back -= WRAP;
  const intended = now - back;
  return {
    ...(b1 & RESPONSE ? { response: true as const } : {}),
    qos: (b1 & 3) as Header['qos'],
    runTag: runTag32(runTag),
    publisher,
    seq,
    intendedMs: intended / TICKS_PER_MS,
    sentMs: (intended + decodeDelay(((b1 >>> 3) << 8) | m)) / TICKS_PER_MS,
  };
}

/** A responder's answer from compact correlation data: the request's header marked as a response; null if not one. */
export function compactResponse(correlationData: Buffer): Buffer | null {
  const n = correlationData.length;
  if (n < COMPACT_HEADER_BYTES || n >= PAYLOAD_HEADER_BYTES || correlationData[0] >>> 4 !== COMPACT_MAGIC) return null;
  const out = Buffer.from(correlationData.subarray(0, COMPACT_HEADER_BYTES));
  out[1] |= RESPONSE;
  return out;
}
