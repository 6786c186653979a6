import { generate, writeToStream } from 'mqtt-packet';
import { connectFields } from './connectFields.js';
import { encodeConnect } from './connectEncode.js';
import type { ConnectOptions } from './driver.js';

// mqtt-packet otherwise builds, on its first encode in each thread, a cache of 65,536 two-byte Buffers
// (packet ids): ~7 MB of heap per worker, made during the connect phase. The lean driver encodes only
// CONNECT, SUBSCRIBE and UNSUBSCRIBE with mqtt-packet (never a message on the hot path), so the few
// ids it writes are allocated as they come. (Set for the thread; mqtt.js then writes ids the same way.)
writeToStream.cacheNumbers = false;

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
