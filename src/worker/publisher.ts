import type { Receivable, SubscriptionIndex } from '../metrics/ledger.js';
import type { Recorder } from '../metrics/recorder.js';
import { templateVars } from '../scenario/template.js';
import type { Clock } from '../shared/clock.js';
import { LATE_SEND_MS, MAX_BACKLOG, MAX_INFLIGHT, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import type { QoS } from '../scenario/types.js';
import type { Device } from './device.js';
import { decodePayload, encodeJsonPayload, encodePayload, type Header } from './payload.js';
import type { PublishProperties } from '../driver/types.js';
import { compileTemplate } from '../scenario/template.js';
import { renderPayloadTemplate } from '../scenario/payloadTemplate.js';

/**
 * Sends scheduled messages: stamps the header, counts what the plan expects to be delivered.
 * QoS 1/2 publishes keep an in-flight window per client, as well-behaved clients do (brokers
 * may drop what exceeds their quota: mosquitto silently discards QoS 2 from MQTT 3.1.1 clients
 * past `max_inflight_messages`). Slots that wait for room leave late: they are counted as late
 * sends and their wait is inside the corrected latency, which is measured from the slot's time.
 */
export class Publisher {
  /** Deliveries expected for measured messages, cumulative (drain progress). */
  expectedMeasured = 0;
  private topicCache = new WeakMap<Device, string>();

  constructor(
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    private readonly index: SubscriptionIndex,
    private readonly receivable: Receivable,
    private readonly runTag: number,
    private readonly run: string,
    private readonly measureFrom: number,
    private readonly measureEnd: number,
  ) {}

  /** Groups whose publishing is paused by an event: their slots are skipped. */
  readonly paused = new Set<number>();

  /** A slot is due: send it now, or queue it behind a full in-flight window. */
  publish(dev: Device, seq: number, dueMs: number): void {
    if (this.paused.has(dev.groupIndex)) return;
    const conn = dev.conn;
    if (!conn) {
      this.recorder.count('publishErrors', dueMs >= this.measureFrom);
      return;
    }
    if (qosOf(dev, seq) > 0 && (dev.backlog.size > 0 || conn.inflight() >= MAX_INFLIGHT)) {
      if (dev.backlog.size >= MAX_BACKLOG) this.recorder.count('publishErrors', dueMs >= this.measureFrom);
      else dev.backlog.push(seq, dueMs);
      return;
    }
    this.send(dev, seq, dueMs);
  }

  private send(dev: Device, seq: number, dueMs: number): void {
    const measured = dueMs >= this.measureFrom;
    const rec = this.recorder;
    const p = dev.group.publish!;
    const qos = qosOf(dev, seq);
    const topic = this.topic(dev, seq);
    const sentMs = this.clock.now();
    const header = { qos, runTag: this.runTag, publisher: dev.global, seq, intendedMs: dueMs, sentMs };
    const payload = this.payload(dev, seq, dueMs, header);
    const [e0, e1, e2, notOffered] = this.index.expectedFor(topic, qos, this.receivable);
    this.index.away?.settle(dueMs, measured); // deliveries counted for away sessions (metrics/sessions.ts)
    if (notOffered > 0) rec.count('notOffered', measured, notOffered);
    const expected = e0 + e1 + e2;
    rec.sentMessage(measured, sentMs >= this.measureFrom && sentMs < this.measureEnd, sentMs - dueMs > LATE_SEND_MS, e0, e1, e2);
    if (measured) {
      this.expectedMeasured += expected;
      rec.intendedSecond(dueMs, expected, 0);
    }
    dev.conn!.publish(topic, payload, qos, p.retain, (err, ack) => {
      if (err) {
        rec.count('publishErrors', measured);
        rec.problem(`publish: ${err.message}`); // MQTT 5 PUBACK/PUBREC reason codes by name
      }
      else if (qos > 0) {
        rec.count('acked', measured);
        if (qos === 2 && ack === 'puback') rec.count('pubQos2AsQos1', measured); // the broker ran it as QoS 1
        rec.latency('publishAck', this.clock.now() - sentMs, measured);
      }
      this.release(dev);
    }, this.props(dev, payload));
  }

  /** An ack made room in the window, or the device is connected again: send what waits, oldest first. */
  release(dev: Device): void {
    while (dev.backlog.size > 0 && dev.conn && dev.conn.inflight() < MAX_INFLIGHT) {
      dev.backlog.take((seq, due) => this.send(dev, seq, due));
    }
  }

  /** The group's MQTT 5 properties, plus (for requests) the response topic and this message's header as correlation data. */
  private props(dev: Device, payload: Buffer): PublishProperties | undefined {
    const rt = dev.group.publish!.responseTopic;
    if (!rt) return dev.names.publishProps;
    const responseTopic = (dev.responseTopic ??= compileTemplate(rt).render({ i: dev.index, group: dev.group.name, clientId: dev.clientId, run: this.run }));
    const header = dev.names.payloadParts ? encodePayload(PAYLOAD_HEADER_BYTES, decodePayload(payload, this.runTag)!) : payload.subarray(0, PAYLOAD_HEADER_BYTES);
    return { ...dev.names.publishProps, responseTopic, correlationData: Buffer.from(header) };
  }

  /** Binary filler of the fixed (or per-message, within a range) size, or the filled-in JSON template. */
  private payload(dev: Device, seq: number, dueMs: number, header: Header): Buffer {
    const spec = dev.group.publish!.payload;
    const seed = Math.imul(dev.global + 1, 0x9e3779b1) ^ seq;
    if (dev.names.payloadParts) {
      const json = renderPayloadTemplate(dev.names.payloadParts, { i: dev.index, group: dev.group.name, clientId: dev.clientId, run: this.run, seq, ts: Math.round(dueMs) }, seed);
      return encodeJsonPayload(json, header);
    }
    const size = spec.maxSize === undefined ? spec.size : spec.size + ((seed >>> 0) % (spec.maxSize - spec.size + 1));
    return encodePayload(size, header);
  }

  /** Topics that depend only on the client are rendered once; {seq}/{target} ones per message. */
  private topic(dev: Device, seq: number): string {
    const cached = this.topicCache.get(dev);
    if (cached !== undefined) return cached;
    const t = dev.names.publishTopic!;
    const vars = templateVars(t);
    const target = dev.names.targetCount > 0 ? (seq * dev.group.count + dev.index) % dev.names.targetCount : 0;
    const topic = t.render({ i: dev.index, group: dev.group.name, clientId: dev.clientId, run: this.run, seq, target });
    if (!vars.has('seq') && !vars.has('target')) this.topicCache.set(dev, topic);
    return topic;
  }
}

const GOLDEN = 0.6180339887498949;

/**
 * The QoS of a device's seq-th message: the group's QoS, or for a mix the class that the slot's
 * point in a low-discrepancy sequence falls into, so any stretch of slots follows the weights
 * closely (and every thread agrees without coordination).
 */
export function qosOf(dev: Device, seq: number): QoS {
  const p = dev.group.publish!;
  if (!p.qosMix) return p.qos;
  const u = ((seq * dev.group.count + dev.index) * GOLDEN) % 1;
  return u < p.qosMix[0] ? 0 : u < p.qosMix[0] + p.qosMix[1] ? 1 : 2;
}
