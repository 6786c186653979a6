import type { QoS } from '../scenario/model.js';

/** Where an incoming PUBLISH read in place goes (LeanConnection): MQTT 3.1.1 has no properties. */
export interface PublishSink {
  onPublish(topic: string, payload: Buffer, qos: QoS, retain: boolean, id: number, props: undefined): void;
}

/**
 * An MQTT 3.1.1 PUBLISH read in place: buf[start, end) is one whole frame whose fixed header is `head`
 * bytes long. The fast path of a subscriber's input (a delivery used to go through mqtt-packet's parser: a
 * buffer list, a packet object and an event per message); the topic is decoded as UTF-8, the payload is a
 * view of the bytes read (as mqtt-packet's was). Returns null, or why the frame is not a valid PUBLISH.
 * MQTT 5 PUBLISH frames (properties) still go through mqtt-packet.
 */
export function readPublish(s: PublishSink, buf: Buffer, start: number, head: number, end: number): string | null {
  const b0 = buf[start];
  const qos = (b0 >> 1) & 3;
  if (qos === 3) return 'protocol error: Packet must not have both QoS bits set to 1';
  let p = start + head;
  if (p + 2 > end) return 'protocol error: Cannot parse topic';
  const tl = (buf[p] << 8) | buf[p + 1];
  p += 2;
  if (p + tl > end) return 'protocol error: Cannot parse topic';
  const topic = buf.toString('utf8', p, p + tl);
  p += tl;
  let id = 0;
  if (qos > 0) {
    if (p + 2 > end) return 'protocol error: Cannot parse messageId';
    id = (buf[p] << 8) | buf[p + 1];
    p += 2;
  }
  s.onPublish(topic, buf.subarray(p, end), qos as QoS, (b0 & 1) !== 0, id, undefined);
  return null;
}
