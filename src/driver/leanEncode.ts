/**
 * Hand-written encoders for the packets on the lean driver's hot path (PUBLISH and the 4-byte
 * acks). They write straight into the connection's per-turn output buffer, so a message costs no
 * packet object and no intermediate buffer. Everything else (CONNECT, SUBSCRIBE, ...) goes
 * through mqtt-packet's `generate`; the unit tests check these against it byte for byte.
 */

export const PUBLISH = 0x30;
export const PUBACK = 0x40;
export const PUBREC = 0x50;
/** PUBREL carries the fixed flags 0b0010. */
export const PUBREL = 0x62;
export const PUBCOMP = 0x70;

/** PINGREQ and DISCONNECT are constant (an MQTT 5 DISCONNECT with no reason byte means 0x00 Normal). */
export const PINGREQ_BYTES: Readonly<Buffer> = Buffer.from([0xc0, 0x00]);
export const DISCONNECT_BYTES: Readonly<Buffer> = Buffer.from([0xe0, 0x00]);

/** MQTT's largest remaining length (four variable-length bytes). */
export const MAX_REMAINING = 268_435_455;

export function varIntSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** Remaining length of a PUBLISH (MQTT 5 adds its property list: one byte when empty). */
export function publishRemaining(topicBytes: number, payloadBytes: number, qos: number, v5: boolean, propsBytes = 0): number {
  return 2 + topicBytes + (qos > 0 ? 2 : 0) + (v5 ? varIntSize(propsBytes) + propsBytes : 0) + payloadBytes;
}

/** Bytes of a whole packet with this remaining length. */
export function frameSize(remaining: number): number {
  return 1 + varIntSize(remaining) + remaining;
}

/** Writes MQTT's variable-length integer at `off`; returns the offset after it. */
export function writeVarInt(buf: Buffer, off: number, n: number): number {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n > 0) b |= 0x80;
    buf[off++] = b;
  } while (n > 0);
  return off;
}

/** Longest topic written char by char; longer ones are encoded natively. */
export const ASCII_TOPIC_MAX = 128;

/**
 * The byte length of a short pure-ASCII topic (bytes == chars), else -1. Fan-out publishers
 * change topic on every message: such topics are written char by char, which costs a fraction
 * of `Buffer.from` (an allocation and a native call) for the typical 10-40 character topic.
 */
export function asciiLength(s: string): number {
  const n = s.length;
  if (n > ASCII_TOPIC_MAX) return -1;
  for (let k = 0; k < n; k++) if (s.charCodeAt(k) > 0x7f) return -1;
  return n;
}

/**
 * Writes a PUBLISH at `off`; returns the offset after it. `remaining` comes from publishRemaining;
 * `topic` is UTF-8 bytes, or a string for which asciiLength() >= 0; `props`: MQTT 5 properties encoded
 * by encodeProps (null: none).
 */
// eslint-disable-next-line max-params -- debt: hot path (one PUBLISH frame per call, no object per message), but 9 is past the limit
export function writePublish(
  buf: Buffer,
  off: number,
  remaining: number,
  topic: Buffer | string,
  payload: Buffer,
  qos: number,
  retain: boolean,
  id: number,
  v5: boolean,
  props: Buffer | null = null,
): number {
  buf[off++] = PUBLISH | (qos << 1) | (retain ? 1 : 0);
  off = writeVarInt(buf, off, remaining);
  const tl = topic.length;
  buf[off++] = tl >> 8;
  buf[off++] = tl & 0xff;
  if (typeof topic === 'string') {
    for (let k = 0; k < tl; k++) buf[off + k] = topic.charCodeAt(k);
  } else {
    // TypedArray#set is a plain memcpy; Buffer#copy costs ~0.5 µs of argument checks per call.
    buf.set(topic, off);
  }
  off += tl;
  if (qos > 0) {
    buf[off++] = id >> 8;
    buf[off++] = id & 0xff;
  }
  if (v5) {
    if (props === null) buf[off++] = 0;
    else {
      off = writeVarInt(buf, off, props.length);
      buf.set(props, off);
      off += props.length;
    }
  }
  buf.set(payload, off);
  return off + payload.length;
}

/** Writes a 4-byte PUBACK/PUBREC/PUBREL/PUBCOMP (success: MQTT 5 lets the reason byte be omitted). */
export function writeAck(buf: Buffer, off: number, type: number, id: number): number {
  buf[off] = type;
  buf[off + 1] = 2;
  buf[off + 2] = id >> 8;
  buf[off + 3] = id & 0xff;
  return off + 4;
}
