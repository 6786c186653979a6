import type { SubscriptionIndex } from '../metrics/ledger.js';
import type { Recorder } from '../metrics/recorder.js';
import { templateVars } from '../scenario/template.js';
import type { Clock } from '../shared/clock.js';
import { LATE_SEND_MS } from '../shared/constants.js';
import type { Device } from './device.js';
import { encodePayload } from './payload.js';

/** Sends one scheduled message: stamps the header, counts what the plan expects to be delivered. */
export class Publisher {
  /** Deliveries expected for measured messages, cumulative (drain progress). */
  expectedMeasured = 0;
  private topicCache = new WeakMap<Device, string>();

  constructor(
    private readonly clock: Clock,
    private readonly recorder: Recorder,
    private readonly index: SubscriptionIndex,
    private readonly runTag: number,
    private readonly run: string,
    private readonly measureFrom: number,
  ) {}

  publish(dev: Device, seq: number, dueMs: number): void {
    const measured = dueMs >= this.measureFrom;
    const rec = this.recorder;
    const conn = dev.conn;
    if (!conn) {
      rec.count('publishErrors', measured);
      return;
    }
    const p = dev.group.publish!;
    const topic = this.topic(dev, seq);
    const sentMs = this.clock.now();
    const payload = encodePayload(p.payload.size, {
      qos: p.qos, runTag: this.runTag, publisher: dev.global, seq, intendedMs: dueMs, sentMs,
    });
    const expected = this.index.expectedFor(topic);
    rec.count('sent', measured);
    rec.count('expected', measured, expected);
    if (measured) this.expectedMeasured += expected;
    if (sentMs - dueMs > LATE_SEND_MS) rec.count('lateSends', measured);
    conn.publish(topic, payload, p.qos, p.retain, (err) => {
      if (err) rec.count('publishErrors', measured);
      else if (p.qos > 0) {
        rec.count('acked', measured);
        rec.latency('publishAck', this.clock.now() - sentMs, measured);
      }
    });
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
