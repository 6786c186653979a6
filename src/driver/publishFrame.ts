import { frameSize, MAX_REMAINING, PUBLISH, publishRemaining, varIntSize, writeVarInt } from './leanEncode.js';

/**
 * A pre-encoded PUBLISH for a connection that sends the same kind of message again and again (the usual
 * publisher: one topic, one QoS, one payload size). For a given topic, QoS, retain flag, payload size and
 * protocol version everything before the packet id is constant: the fixed header, the remaining length
 * and the topic. That prefix is encoded once; a message then costs one copy of it, the packet id (QoS
 * 1/2), MQTT 5's empty property list and one copy of the payload, all straight into the connection's
 * per-turn output buffer (nothing is allocated per message, and nothing written is ever changed later:
 * the output buffer of a turn is handed to the socket as is).
 *
 * The template is built on the second consecutive publish of the same shape: a publisher whose topic
 * changes with every message (fan-out to {target}) keeps the generic encoder (leanEncode.writePublish)
 * and never pays for a template it cannot reuse. MQTT 5 publishes with properties or topic aliases never
 * come here (they vary per message).
 */
export class PublishFrame {
  private topic = '';
  private qos = -1;
  private retain = false;
  private payloadBytes = -1;
  private v5 = false;
  /** Fixed header, remaining length, topic length and topic; null until the shape was seen twice in a row. */
  private prefix: Buffer | null = null;
  /** Bytes of the whole frame (valid while `ready` returned true). */
  size = 0;

  /**
   * Whether the template fits this publish (and is built): false on the first publish of a shape, or when
   * the packet would be too large (the generic path then refuses it).
   */
  ready(topic: string, qos: number, retain: boolean, payloadBytes: number, v5: boolean): boolean {
    if (topic === this.topic && qos === this.qos && retain === this.retain && payloadBytes === this.payloadBytes && v5 === this.v5) {
      return this.prefix !== null || this.build();
    }
    this.topic = topic;
    this.qos = qos;
    this.retain = retain;
    this.payloadBytes = payloadBytes;
    this.v5 = v5;
    this.prefix = null;
    return false;
  }

  /** Writes the frame at `off` (`size` bytes); `id`: the packet id of a QoS 1/2 publish. */
  write(buf: Buffer, off: number, payload: Buffer, id: number): void {
    const p = this.prefix!;
    buf.set(p, off);
    off += p.length;
    if (this.qos > 0) {
      buf[off++] = id >> 8;
      buf[off++] = id & 0xff;
    }
    if (this.v5) buf[off++] = 0;
    buf.set(payload, off);
  }

  private build(): boolean {
    const topic = Buffer.from(this.topic, 'utf8');
    const tl = topic.length;
    const rem = publishRemaining(tl, this.payloadBytes, this.qos, this.v5);
    if (tl > 0xffff || rem > MAX_REMAINING) return false;
    const p = Buffer.allocUnsafe(1 + varIntSize(rem) + 2 + tl);
    p[0] = PUBLISH | (this.qos << 1) | (this.retain ? 1 : 0);
    let off = writeVarInt(p, 1, rem);
    p[off++] = tl >> 8;
    p[off++] = tl & 0xff;
    p.set(topic, off);
    this.prefix = p;
    this.size = frameSize(rem);
    return true;
  }
}
