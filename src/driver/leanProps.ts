import type { PublishProperties } from './driver.js';

/** MQTT 5 property identifiers of a PUBLISH (MQTT 5 §3.3.2.3). */
const MESSAGE_EXPIRY = 0x02;
const CONTENT_TYPE = 0x03;
const RESPONSE_TOPIC = 0x08;
const CORRELATION_DATA = 0x09;
const TOPIC_ALIAS = 0x23;
const USER_PROPERTY = 0x26;

/**
 * The property list of an MQTT 5 PUBLISH (without its length prefix): the publish properties a
 * scenario sets, and the topic alias when `alias` > 0. null when there is nothing to send.
 */
export function encodeProps(p: PublishProperties | undefined, alias: number): Buffer | null {
  let n = alias > 0 ? 3 : 0;
  if (p !== undefined) {
    if (p.messageExpiryInterval !== undefined) n += 5;
    if (p.contentType !== undefined) n += 3 + Buffer.byteLength(p.contentType);
    if (p.responseTopic !== undefined) n += 3 + Buffer.byteLength(p.responseTopic);
    if (p.correlationData !== undefined) n += 3 + p.correlationData.length;
    if (p.userProperties !== undefined) for (const k in p.userProperties) n += 5 + Buffer.byteLength(k) + Buffer.byteLength(p.userProperties[k]);
  }
  if (n === 0) return null;
  const b = Buffer.allocUnsafe(n);
  let off = 0;
  const str = (s: string) => {
    const len = b.write(s, off + 2);
    b.writeUInt16BE(len, off);
    off += 2 + len;
  };
  if (p !== undefined) {
    if (p.messageExpiryInterval !== undefined) {
      b[off++] = MESSAGE_EXPIRY;
      b.writeUInt32BE(p.messageExpiryInterval >>> 0, off);
      off += 4;
    }
    if (p.contentType !== undefined) {
      b[off++] = CONTENT_TYPE;
      str(p.contentType);
    }
    if (p.responseTopic !== undefined) {
      b[off++] = RESPONSE_TOPIC;
      str(p.responseTopic);
    }
    if (p.correlationData !== undefined) {
      b[off++] = CORRELATION_DATA;
      b.writeUInt16BE(p.correlationData.length, off);
      b.set(p.correlationData, off + 2);
      off += 2 + p.correlationData.length;
    }
    if (p.userProperties !== undefined) {
      for (const k in p.userProperties) {
        b[off++] = USER_PROPERTY;
        str(k);
        str(p.userProperties[k]);
      }
    }
  }
  if (alias > 0) {
    b[off++] = TOPIC_ALIAS;
    b.writeUInt16BE(alias, off);
    off += 2;
  }
  return b;
}
