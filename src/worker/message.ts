import { renderPayloadTemplate } from '../mqtt/payloadTemplate.js';
import { compileTemplate, templateVars } from '../mqtt/template.js';
import { PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import type { PublishProperties } from '../driver/driver.js';
import type { Device } from './device.js';
import type { QoS } from '../scenario/model.js';
import { decodePayload, encodeJsonPayload, encodePayload, writeHeader, type Header } from './payload.js';

/** What one message of a device is made of: its topic, its payload (header first) and its MQTT 5 properties. */
export class MessageBuilder {
  /** The header of the message being built (one object, filled in per message). */
  private readonly header: Header;
  /** The reused payload buffer (see payload()). */
  private scratch = Buffer.alloc(0);

  constructor(
    private readonly runTag: number,
    private readonly run: string,
  ) {
    this.header = { qos: 0, runTag, publisher: 0, seq: 0, intendedMs: 0, sentMs: 0 };
  }

  /** The group's MQTT 5 properties, plus (for requests) the response topic and this message's header as correlation data. */
  props(dev: Device, payload: Buffer): PublishProperties | undefined {
    const rt = dev.group.publish!.responseTopic;
    if (!rt) return dev.names.publishProps;
    const responseTopic = (dev.responseTopic ??= compileTemplate(rt).render({ i: dev.index, group: dev.group.name, clientId: dev.clientId, run: this.run }));
    const header = dev.names.payloadParts
      ? encodePayload(PAYLOAD_HEADER_BYTES, decodePayload(payload, this.runTag)!)
      : payload.subarray(0, PAYLOAD_HEADER_BYTES);
    return { ...dev.names.publishProps, responseTopic, correlationData: Buffer.from(header) };
  }

  /**
   * Binary filler of the fixed (or per-message, within a range) size, or the filled-in JSON template, with
   * this message's header. `reuse`: the connection copies the payload before publish() returns
   * (Connection.copiesPayload), so a binary one is stamped into one buffer reused for every message.
   */
  payload(dev: Device, seq: number, qos: QoS, dueMs: number, sentMs: number, reuse: boolean): Buffer {
    const spec = dev.group.publish!.payload;
    const seed = Math.imul(dev.global + 1, 0x9e3779b1) ^ seq;
    const raw = dev.names.raw;
    const h = this.header;
    h.qos = qos;
    h.publisher = dev.global;
    h.seq = seq;
    h.intendedMs = dueMs;
    h.sentMs = sentMs;
    if (dev.names.payloadParts) {
      const json = renderPayloadTemplate(
        dev.names.payloadParts,
        { i: dev.index, group: dev.group.name, clientId: dev.clientId, run: this.run, seq, ts: Math.round(dueMs) },
        seed,
      );
      return raw ? Buffer.from(json, 'utf8') : encodeJsonPayload(json, h);
    }
    if (raw && raw.bodies.length > 0) return raw.bodies[seq % raw.bodies.length];
    const size = spec.maxSize === undefined ? spec.size : spec.size + ((seed >>> 0) % (spec.maxSize - spec.size + 1));
    if (raw) return raw.filler.subarray(0, size);
    if (!reuse || size < PAYLOAD_HEADER_BYTES) return encodePayload(size, h);
    // Only the header is ever written: the filler after it stays zero.
    if (this.scratch.length < size) this.scratch = Buffer.alloc(size);
    const buf = this.scratch.length === size ? this.scratch : this.scratch.subarray(0, size);
    writeHeader(buf, h);
    return buf;
  }

  /** Topics that depend only on the client are rendered once; {seq}/{target} ones per message. */
  topic(dev: Device, seq: number): string {
    const cached = dev.topic;
    if (cached !== null) return cached;
    const t = dev.names.publishTopic!;
    const vars = templateVars(t);
    const target = dev.names.targetCount > 0 ? (seq * dev.group.count + dev.index) % dev.names.targetCount : 0;
    const topic = t.render({ i: dev.index, group: dev.group.name, clientId: dev.clientId, run: this.run, seq, target });
    if (!vars.has('seq') && !vars.has('target')) dev.topic = topic;
    return topic;
  }
}
