/**
 * The CONNECT packet's fields from a client's connect settings, in one place for both drivers (mqtt-packet's
 * connect packet and mqtt.js's client options use the same names): protocol name and level (MQTT 3.1 is
 * level 3 with the name MQIsdp), clean session, keepalive, credentials, the last will, and MQTT 5 session expiry.
 */
import { protocolName } from '../mqtt/protocol.js';
import type { ConnectOptions } from './driver.js';

export interface ConnectFields {
  protocolId: 'MQTT' | 'MQIsdp';
  protocolVersion: 3 | 4 | 5;
  clientId: string;
  clean: boolean;
  keepalive: number;
  username?: string;
  password?: Buffer;
  will?: { topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean };
  properties?: { sessionExpiryInterval: number };
}

export function connectFields(o: ConnectOptions): ConnectFields {
  const out: ConnectFields = {
    protocolId: protocolName(o.protocolVersion),
    protocolVersion: o.protocolVersion,
    clientId: o.clientId,
    clean: o.clean,
    keepalive: o.keepaliveSec,
  };
  if (o.username !== undefined) out.username = o.username;
  if (o.password !== undefined) out.password = Buffer.from(o.password, 'utf8');
  if (o.will) out.will = { topic: o.will.topic, payload: o.will.payload, qos: o.will.qos, retain: o.will.retain };
  if (o.protocolVersion === 5 && o.sessionExpirySec !== undefined) out.properties = { sessionExpiryInterval: o.sessionExpirySec };
  return out;
}
