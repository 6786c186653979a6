import { generate } from 'mqtt-packet';
import { connectFields } from './connectFields.js';
import type { ConnectOptions } from './driver.js';

/**
 * The CONNECT packet of the lean driver, from the connect options (URL credentials already merged in);
 * its fields come from connectFields, shared with the mqtt.js driver. Throws (mqtt-packet's words) when
 * the options cannot be encoded, e.g. a client id too long for MQTT.
 */
export function connectPacket(o: ConnectOptions): Buffer {
  return generate({ cmd: 'connect', ...connectFields(o) });
}
