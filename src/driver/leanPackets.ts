import type { Packet } from 'mqtt-packet';
import type { QoS } from '../scenario/model.js';
import { reasonWords } from './leanCodes.js';
import { PUBREC, PUBREL } from './leanEncode.js';
import { settleRequest, type Requests } from './leanRequests.js';

/** The properties of an incoming PUBLISH that the connection reads (MQTT 5). */
export interface InProps {
  topicAlias?: number;
  responseTopic?: string;
  correlationData?: Buffer;
}

/** What a decoded packet reaches on its lean connection. */
export interface PacketSink extends Requests {
  sessionPresent: boolean;
  receiveMaximum?: number;
  /** The broker's Topic Alias Maximum (from its CONNACK). */
  aliasMax: number;
  /** Why the connection was lost, when it knows better than the socket (DISCONNECT, keepalive, a protocol error). */
  lostReason: string;
  onAck(type: number, id: number): void;
  onPublish(topic: string, payload: Buffer, qos: QoS, retain: boolean, id: number, props: InProps | undefined): void;
  onConnack(code: number, serverKeepAlive: number | undefined): void;
}

/**
 * A packet decoded by mqtt-packet (leanInput.ts reads the common ones in place): MQTT 5 deliveries and
 * acks with a reason code, SUBACK / UNSUBACK, the CONNACK (MQTT 5, or any that is not 4 bytes) and
 * the broker's DISCONNECT.
 */
export function dispatchPacket(c: PacketSink, p: Packet): void {
  switch (p.cmd) {
    case 'publish':
      return c.onPublish(p.topic, p.payload as Buffer, p.qos, p.retain === true, p.messageId ?? 0, p.properties);
    case 'puback':
      return c.session.complete(p.messageId!, p.reasonCode ?? 0, 'PUBACK');
    case 'pubrec': {
      const rc = p.reasonCode ?? 0;
      if (rc >= 0x80) return c.session.complete(p.messageId!, rc, 'PUBREC');
      return c.onAck(PUBREC, p.messageId!);
    }
    case 'pubcomp':
      return c.session.complete(p.messageId!, p.reasonCode ?? 0, 'PUBCOMP');
    case 'pubrel':
      return c.onAck(PUBREL, p.messageId!);
    case 'suback':
      return settleRequest(c, p.messageId!, p.granted as number[]);
    case 'unsuback':
      return settleRequest(c, p.messageId!, []);
    case 'connack':
      c.sessionPresent = p.sessionPresent === true;
      if (p.properties?.receiveMaximum !== undefined) c.receiveMaximum = p.properties.receiveMaximum;
      if (p.properties?.topicAliasMaximum !== undefined) c.aliasMax = p.properties.topicAliasMaximum;
      return c.onConnack(p.returnCode ?? p.reasonCode ?? 0, p.properties?.serverKeepAlive);
    case 'disconnect':
      // MQTT 5: the broker says why before it closes.
      c.lostReason = `broker sent DISCONNECT: ${reasonWords(p.reasonCode ?? 0)}`;
      return;
    default:
      return; // PINGRESP with a body, AUTH: never asked for
  }
}
