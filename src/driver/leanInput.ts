import { parser as makeParser, type Packet, type Parser } from 'mqtt-packet';
import { readPublish, type PublishSink } from './leanPublishIn.js';

/**
 * The lean driver's input side. A connection keeps no parser of its own: `splitFrames` cuts its byte
 * stream into whole MQTT packets (holding at most one partial packet, in a buffer sized to that packet,
 * only while it is incomplete), the 4-byte acks, PINGRESP and an MQTT 3.1.1 CONNACK are read in place, and every other packet
 * goes whole through one mqtt-packet parser per protocol level shared by all connections of the thread
 * (a parser fed whole packets is back in its start state after each one). An idle connection therefore
 * costs no parser, no buffer list and no listener closures.
 */
export interface FrameSink extends PublishSink {
  /** The partial packet being assembled (null when none): `pendLen` bytes of it are filled. */
  pend: Buffer | null;
  pendLen: number;
  readonly protocolVersion: number;
  /** A PUBACK (0x40), PUBREC (0x50), PUBREL (0x62) or PUBCOMP (0x70) with no reason code; PINGRESP as 0xd0, id 0. */
  onAck(type: number, id: number): void;
  onPacket(p: Packet): void;
}

/**
 * Feeds the first `len` bytes of a chunk read from the socket (a reused read buffer: nothing here keeps a
 * view of it past the call, a partial packet is copied); returns null, or why the stream is not MQTT (the
 * connection must close).
 */
export function splitFrames(s: FrameSink, chunk: Buffer, len: number = chunk.length): string | null {
  let buf = chunk;
  let end = len;
  let off = 0;
  const pend = s.pend;
  if (pend !== null) {
    if (s.pendLen < pend.length) {
      // The packet's size is known: fill it.
      const n = Math.min(pend.length - s.pendLen, len);
      pend.set(n === chunk.length ? chunk : chunk.subarray(0, n), s.pendLen);
      s.pendLen += n;
      if (s.pendLen < pend.length) return null;
      s.pend = null;
      s.pendLen = 0;
      const err = frame(s, pend, 0, pend.length, headLength(pend));
      if (err !== null) return err;
      off = n;
    } else {
      // Only a few header bytes came: join them to this chunk.
      buf = Buffer.concat([pend, len === chunk.length ? chunk : chunk.subarray(0, len)]);
      end = buf.length;
      s.pend = null;
      s.pendLen = 0;
    }
  }
  while (off < end) {
    // Fixed header: type byte, then the remaining length (1-4 bytes, 7 bits each).
    let rem = 0;
    let mul = 1;
    let k = off + 1;
    let complete = false;
    while (k < end && k <= off + 4) {
      const b = buf[k++];
      rem += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        complete = true;
        break;
      }
      mul *= 128;
    }
    if (!complete) {
      if (k > off + 4) return 'protocol error: invalid remaining length';
      s.pend = Buffer.from(buf.subarray(off, end));
      s.pendLen = end - off;
      return null;
    }
    const total = k - off + rem;
    if (off + total > end) {
      const p = Buffer.allocUnsafe(total);
      p.set(buf.subarray(off, end), 0);
      s.pend = p;
      s.pendLen = end - off;
      return null;
    }
    const err = frame(s, buf, off, off + total, k - off);
    if (err !== null) return err;
    off += total;
  }
  return null;
}

/** The fixed header's length (type byte and remaining length) of a whole packet at buf[0]. */
function headLength(buf: Buffer): number {
  let k = 1;
  while (k < 5 && (buf[k] & 0x80) !== 0) k++;
  return k + 1;
}

/** One whole packet at buf[start, end), its fixed header `head` bytes long. */
function frame(s: FrameSink, buf: Buffer, start: number, end: number, head: number): string | null {
  const type = buf[start];
  // A delivery (MQTT 3.1.1): read in place, not through mqtt-packet.
  if (type >> 4 === 3 && s.protocolVersion !== 5) return readPublish(s, buf, start, head, end);
  if (end - start === 4 && buf[start + 1] === 2 && (type === 0x40 || type === 0x50 || type === 0x62 || type === 0x70)) {
    s.onAck(type, (buf[start + 2] << 8) | buf[start + 3]);
    return null;
  }
  if (type === 0xd0 && end - start === 2) {
    s.onAck(0xd0, 0);
    return null;
  }
  // An MQTT 3.1.1 / 3.1 CONNACK (flags, return code), once per connection: read in place, the parser's fields.
  if (type === 0x20 && end - start === 4 && buf[start + 1] === 2 && buf[start + 2] <= 1 && s.protocolVersion !== 5) {
    s.onPacket({ cmd: 'connack', sessionPresent: buf[start + 2] === 1, returnCode: buf[start + 3] });
    return null;
  }
  return decode(s, buf.subarray(start, end));
}

interface Shared {
  parser: Parser;
  sink: FrameSink | null;
  error: Error | null;
}

const shared = new Map<number, Shared>();

function sharedParser(version: number): Shared {
  const ready = shared.get(version);
  if (ready !== undefined && ready.sink === null) return ready;
  const sh: Shared = { parser: makeParser({ protocolVersion: version }), sink: null, error: null };
  sh.parser.on('packet', (p: Packet) => sh.sink!.onPacket(p));
  sh.parser.on('error', (err: Error) => void (sh.error ??= err));
  // A parser busy further up the stack (a packet handler that fed another one) is not shared: a fresh one.
  if (ready === undefined) shared.set(version, sh);
  return sh;
}

function decode(s: FrameSink, packet: Buffer): string | null {
  const sh = sharedParser(s.protocolVersion);
  sh.sink = s;
  sh.error = null;
  let ok = false;
  try {
    sh.parser.parse(packet);
    ok = true;
  } finally {
    sh.sink = null;
    // A handler that threw left the parser mid-packet: the next packet gets a fresh one.
    if (!ok && shared.get(s.protocolVersion) === sh) shared.delete(s.protocolVersion);
  }
  const err = sh.error as Error | null; // set by the parser's 'error' listener during parse()
  return err === null ? null : `protocol error: ${err.message}`;
}
