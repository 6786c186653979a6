import { COMPACT_HEADER_BYTES, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import type { QoS } from '../scenario/model.js';
import { compactResponse, readCompact, writeCompact } from './compactHeader.js';
import type { Header } from './header.js';

/**
 * The mqbench header at the start of every payload (little-endian, 32 bytes):
 *   0  u16 magic 0x4d51 ("MQ")   2 u8 version   3 u8 flags (bits 0-1: publish QoS)
 *   4  u32 run tag (random per run: old retained or foreign messages are told apart)
 *   8  u32 publisher (global client index)     12 u32 sequence number (per publisher)
 *   16 f64 intended send time (epoch ms)       24 f64 actual send time (epoch ms)
 * followed by zero filler up to the requested size. Payloads of 16 to 31 bytes carry the 16-byte compact
 * header instead (compactHeader.ts: its trade-offs are written there).
 */
export const MAGIC = 0x4d51;
export const PAYLOAD_FORMAT_VERSION = 1;

export type { Header };

export function encodePayload(size: number, h: Header): Buffer {
  if (size < COMPACT_HEADER_BYTES) {
    throw new RangeError(`payload size ${size} is smaller than the ${COMPACT_HEADER_BYTES}-byte compact header`);
  }
  const buf = Buffer.alloc(size);
  if (size < PAYLOAD_HEADER_BYTES) writeCompact(buf, h);
  else writeHeader(buf, h);
  return buf;
}

/** Writes the 32-byte header at the start of `buf` (at least 32 bytes; what follows it is left as it is). */
export function writeHeader(buf: Buffer, h: Header): void {
  // Byte stores instead of Buffer's write methods: this runs once per message sent (the hot path).
  buf[0] = MAGIC & 0xff;
  buf[1] = MAGIC >>> 8;
  buf[2] = PAYLOAD_FORMAT_VERSION;
  buf[3] = (h.qos & 3) | (h.response === true ? 4 : 0);
  u32(buf, 4, h.runTag);
  u32(buf, 8, h.publisher);
  u32(buf, 12, h.seq);
  f64(buf, 16, h.intendedMs);
  f64(buf, 24, h.sentMs);
}

function u32(buf: Buffer, at: number, v: number): void {
  buf[at] = v;
  buf[at + 1] = v >>> 8;
  buf[at + 2] = v >>> 16;
  buf[at + 3] = v >>> 24;
}

/** A double's 8 bytes through a one-element view (little-endian machines); Buffer's method elsewhere. */
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function f64(buf: Buffer, at: number, v: number): void {
  if (!LITTLE_ENDIAN) {
    buf.writeDoubleLE(v, at);
    return;
  }
  F64[0] = v;
  const b = F64_BYTES;
  buf[at] = b[0];
  buf[at + 1] = b[1];
  buf[at + 2] = b[2];
  buf[at + 3] = b[3];
  buf[at + 4] = b[4];
  buf[at + 5] = b[5];
  buf[at + 6] = b[6];
  buf[at + 7] = b[7];
}

/**
 * Returns null for anything that is not an mqbench payload (binary, compact or JSON) of the given run.
 * `nowMs` (the receiver's clock) places a compact header's wrapped 36-bit time; without it a compact payload gives null.
 */
export function decodePayload(buf: Buffer, runTag: number, nowMs?: number): Header | null {
  if (buf.length < PAYLOAD_HEADER_BYTES) return nowMs === undefined ? null : readCompact(buf, runTag, nowMs);
  return decodeBinary(buf, runTag) ?? decodeJsonHeader(buf, runTag);
}

/**
 * The 32-byte header (binary or JSON) of a message of ANY run, or null: what a subscriber with fromOtherRuns times
 * from another mqbench process. The compact header cannot be read without its run tag (only a hash of it is sent).
 */
export function decodeAnyRun(buf: Buffer): Header | null {
  if (buf.length < PAYLOAD_HEADER_BYTES) return null;
  return decodeBinary(buf, ANY_RUN) ?? decodeJsonHeader(buf, ANY_RUN);
}

/** Stands for "whatever run tag the header carries" (a run tag is a u32, never negative). */
const ANY_RUN = -1;

function decodeBinary(buf: Buffer, runTag: number): Header | null {
  if (buf.length < PAYLOAD_HEADER_BYTES) return null;
  if (buf.readUInt16LE(0) !== MAGIC || buf.readUInt8(2) !== PAYLOAD_FORMAT_VERSION) return null;
  const tag = buf.readUInt32LE(4);
  if (runTag !== ANY_RUN && tag !== runTag >>> 0) return null;
  const flags = buf[3];
  // One object literal (no spread per delivery: the receive path decodes every message).
  const h: Header = {
    qos: (flags & 3) as QoS,
    runTag: tag,
    publisher: buf.readUInt32LE(8),
    seq: buf.readUInt32LE(12),
    intendedMs: buf.readDoubleLE(16),
    sentMs: buf.readDoubleLE(24),
  };
  if (flags & 4) h.response = true;
  return h;
}

const JSON_FIELD = '"_mqb":"';

/**
 * A JSON payload: the filled-in template object with the header added as a last field
 * "_mqb": "<base64 of the 32 header bytes>", so brokers and consumers that parse JSON see a
 * valid object and mqbench still checks every message.
 */
export function encodeJsonPayload(json: string, h: Header): Buffer {
  const header = encodePayload(PAYLOAD_HEADER_BYTES, h).toString('base64');
  const body = json.trimEnd();
  const inner = body.slice(0, -1).trimEnd();
  const sep = inner.endsWith('{') ? '' : ',';
  return Buffer.from(`${inner}${sep}${JSON_FIELD}${header}"}`, 'utf8');
}

/** The header of a JSON payload (its "_mqb" field), or null. */
function decodeJsonHeader(buf: Buffer, runTag: number): Header | null {
  if (buf.length < 50 || buf[buf.length - 1] !== 0x7d) return null;
  const tail = buf.subarray(Math.max(0, buf.length - 60)).toString('latin1');
  const at = tail.lastIndexOf(JSON_FIELD);
  if (at < 0) return null;
  const b64 = tail.slice(at + JSON_FIELD.length, at + JSON_FIELD.length + 44);
  return decodeBinary(Buffer.from(b64, 'base64'), runTag);
}

/** A responder's answer: the request's header (its correlation data) marked as a response. */
export function responsePayload(correlationData: Buffer): Buffer | null {
  if (correlationData.length < PAYLOAD_HEADER_BYTES) return compactResponse(correlationData);
  if (correlationData.length !== PAYLOAD_HEADER_BYTES || correlationData.readUInt16LE(0) !== MAGIC) return null;
  const out = Buffer.from(correlationData);
  out.writeUInt8(out.readUInt8(3) | 4, 3);
  return out;
}
