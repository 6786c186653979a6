import { generate } from 'mqtt-packet';
import { connectFields } from './connectFields.js';
import { encodeConnect } from './connectEncode.js';
import type { ConnectOptions } from './driver.js';

/**
 * The CONNECT packet of the lean driver, from the connect options (URL credentials already merged in);
 * its fields come from connectFields, shared with the mqtt.js driver. Written by encodeConnect (the same
 * bytes, faster); what it leaves to mqtt-packet throws mqtt-packet's words when the options cannot be
 * encoded, e.g. a client id too long for MQTT.
 */
export function connectPacket(o: ConnectOptions): Buffer {
  const fields = connectFields(o);
  return encodeConnect(fields) ?? generate({ cmd: 'connect', ...fields });
}
