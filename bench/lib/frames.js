// Minimal MQTT 3.1.1 frame encoding and decoding for the raw baseline. Only what the baseline needs:
// CONNECT, PUBLISH (QoS 0/1), PUBACK, SUBSCRIBE, DISCONNECT, and a stream splitter for what comes back.
// No MQTT library is used on the baseline's hot path: frames are built once and written as they are.

export const TYPE = { CONNACK: 2, PUBLISH: 3, PUBACK: 4, SUBACK: 9, PINGRESP: 13 };

/** MQTT variable-length "remaining length" field. */
function varLength(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

function str(s) {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length, 0);
  return Buffer.concat([len, b]);
}

function frame(firstByte, body) {
  return Buffer.concat([Buffer.from([firstByte]), varLength(body.length), body]);
}

/** CONNECT, protocol level 4 (3.1.1), clean session, no will, no credentials. */
export function connectFrame(clientId, keepaliveSec) {
  const ka = Buffer.alloc(2);
  ka.writeUInt16BE(keepaliveSec, 0);
  return frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02]), ka, str(clientId)]));
}

/** PUBLISH; for QoS 1 the packet id is in the frame, at offset `idOffset` (see publishIdOffset). */
export function publishFrame(topic, payload, qos = 0, packetId = 0) {
  const parts = [str(topic)];
  if (qos > 0) {
    const id = Buffer.alloc(2);
    id.writeUInt16BE(packetId, 0);
    parts.push(id);
  }
  parts.push(payload);
  return frame(0x30 | (qos << 1), Buffer.concat(parts));
}

export function pubackFrame(packetId) {
  return Buffer.from([0x40, 0x02, packetId >> 8, packetId & 0xff]);
}

export function subscribeFrame(packetId, topic, qos) {
  const id = Buffer.alloc(2);
  id.writeUInt16BE(packetId, 0);
  return frame(0x82, Buffer.concat([id, str(topic), Buffer.from([qos])]));
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);

/**
 * Splits a byte stream into MQTT packets: onPacket(type, flags, buf, bodyStart, bodyEnd) is called for each
 * complete packet (buf is only valid during the call). Partial packets are kept until the rest arrives.
 */
export function packetSplitter(onPacket) {
  let pending = null;
  return (chunk) => {
    let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = null;
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (n - i < 2) break;
      let len = 0;
      let mul = 1;
      let j = i + 1;
      let complete = false;
      while (j < n && j < i + 5) {
        const b = buf[j++];
        len += (b & 0x7f) * mul;
        mul *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || j + len > n) break;
      const first = buf[i];
      onPacket(first >> 4, first & 0x0f, buf, j, j + len);
      i = j + len;
    }
    if (i < n) pending = Buffer.from(buf.subarray(i));
  };
}
