import type { Connection } from '../driver/driver.js';
import type { PublishSpec, QoS } from '../scenario/model.js';
import { MAX_INFLIGHT } from '../shared/constants.js';
import type { Device } from './device.js';

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

/**
 * A client's QoS 1/2 in-flight window: `publish.inflight`, else the broker's MQTT 5 Receive Maximum, else
 * MAX_INFLIGHT; never more than the Receive Maximum (exceeding it is a protocol error).
 */
export function inflightWindow(p: PublishSpec, conn: Connection): number {
  const max = conn.receiveMaximum;
  const w = p.inflight ?? max ?? MAX_INFLIGHT;
  return max !== undefined && max > 0 && max < w ? max : w;
}
