import { generate, type Packet } from 'mqtt-packet';
import type { QoS } from '../scenario/model.js';
import type { LeanOutput } from './leanOutput.js';
import type { LeanSession } from './leanSession.js';
import type { Granted } from './driver.js';

/** A SUBSCRIBE or UNSUBSCRIBE waiting for its SUBACK / UNSUBACK. */
export interface Wait {
  resolve: (granted: Granted[]) => void;
  reject: (err: Error) => void;
  count: number;
}

/**
 * What the SUBSCRIBE / UNSUBSCRIBE side uses of an open lean connection. The waits map is the
 * connection's own field, made on the first request (an idle connection that never subscribes holds
 * none); the PUBLISH side reads it too (leanPublisher.ts IdsInUse): a waiting request's packet id is
 * not free.
 */
export interface Requests {
  /** SUBSCRIBEs and UNSUBSCRIBEs waiting, by packet id. */
  waits: Map<number, Wait> | null;
  readonly protocolVersion: number;
  readonly session: LeanSession;
  readonly output: LeanOutput;
}

/** A SUBSCRIBE on an open connection: resolves with what the SUBACK granted, one per filter. */
export function sendSubscribe(c: Requests, filters: { topic: string; qos: QoS }[]): Promise<Granted[]> {
  return request(c, (messageId) => ({ cmd: 'subscribe', messageId, subscriptions: filters.map((f) => ({ topic: f.topic, qos: f.qos })) }), filters.length);
}

/** An UNSUBSCRIBE on an open connection: resolves on its UNSUBACK. */
export function sendUnsubscribe(c: Requests, topics: string[]): Promise<void> {
  return request(c, (messageId) => ({ cmd: 'unsubscribe', messageId, unsubscriptions: topics }), 0).then(() => undefined);
}

function request(c: Requests, packet: (id: number) => Packet, count: number): Promise<Granted[]> {
  const id = c.session.allocId(c.waits);
  if (id === 0) return Promise.reject(new Error('no free packet id'));
  let bytes: Buffer;
  try {
    bytes = generate(packet(id), { protocolVersion: c.protocolVersion as 4 | 5 });
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  c.output.append(bytes);
  return new Promise<Granted[]>((resolve, reject) => {
    (c.waits ??= new Map()).set(id, { resolve, reject, count });
  });
}

/** A SUBACK (granted: its return codes) or UNSUBACK (granted: []) for the request with this packet id. */
export function settleRequest(c: Requests, id: number, granted: number[]): void {
  const w = c.waits?.get(id);
  if (!w) return;
  c.waits!.delete(id);
  const out: Granted[] = [];
  for (let k = 0; k < w.count; k++) {
    const g = granted[k];
    out.push(g === 0 || g === 1 || g === 2 ? g : 128);
  }
  w.resolve(out);
}

/** The connection closed: whatever still waits for an answer will not get one. */
export function failRequests(c: Requests): void {
  if (c.waits !== null && c.waits.size > 0) {
    const waits = [...c.waits.values()];
    c.waits.clear();
    for (const w of waits) w.reject(new Error('connection closed before SUBACK'));
  }
}
