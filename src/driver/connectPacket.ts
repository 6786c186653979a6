import { generate } from 'mqtt-packet';
import type { ConnectOptions } from './driver.js';

/**
 * The CONNECT packet of the lean driver, from the connect options (URL credentials already merged in).
 * Throws (mqtt-packet's words) when the options cannot be encoded, e.g. a client id too long for MQTT.
 */
export function connectPacket(o: ConnectOptions): Buffer {
  return generate({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: o.protocolVersion,
    clientId: o.clientId,
    clean: o.clean,
    keepalive: o.keepaliveSec,
    username: o.username,
    password: o.password === undefined ? undefined : Buffer.from(o.password, 'utf8'),
    ...(o.protocolVersion === 5 && o.sessionExpirySec !== undefined ? { properties: { sessionExpiryInterval: o.sessionExpirySec } } : {}),
  });
}
