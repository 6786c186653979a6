import type { QoS } from '../scenario/model.js';

/** What a payload header says about its message (payload.ts: the 32-byte form; compactHeader.ts: the 16-byte one). */
export interface Header {
  qos: QoS;
  runTag: number;
  publisher: number;
  seq: number;
  intendedMs: number;
  sentMs: number;
  /** Set on MQTT 5 responses: the header of the request, sent back by a responder (flags bit 2). */
  response?: true;
}
