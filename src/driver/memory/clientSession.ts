import type { QoS } from '../../scenario/model.js';
import { NotSent, SessionEnded, type AckKind, type OutboundSession, type PublishDone } from '../driver.js';
import type { MemoryCounts } from './counts.js';
import { Flight } from './flight.js';

/** Calls a publish's `done` and counts how it ended. */
export function finish(counts: MemoryCounts, done: PublishDone, err?: Error, ack?: AckKind): void {
  if (err === undefined) {
    if (ack === undefined) counts.doneWritten++;
    else counts.doneAcked++;
  } else if (err instanceof NotSent) counts.doneNotSent++;
  else if (err instanceof SessionEnded) counts.doneSessionEnded++;
  else counts.doneRefused++;
  done(err, ack);
}

/**
 * The memory driver's outbound session (the client's side of it): the QoS 1/2 publishes not yet
 * completed, by packet id, in the order they were first sent. It outlives a connection when the device
 * passes it in ConnectOptions.session and the session is resumable; see MemoryConnection.
 */
export class MemorySession implements OutboundSession {
  readonly held = new Map<number, Flight>();
  private nextId = 1;

  constructor(private readonly counts: MemoryCounts) {}

  pending(): number {
    return this.held.size;
  }

  abandon(err: Error): void {
    this.fail(err);
  }

  /** A new held publish with a packet id 1..65535 not held here; null when all are taken. */
  add(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone): Flight | null {
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (this.held.has(id)) continue;
      const h = new Flight(id, topic, payload, qos, retain, done);
      this.held.set(id, h);
      return h;
    }
    return null;
  }

  /** The ack ending the flow of `id` (a refusal when `refusal` is set); unknown ids are ignored. */
  complete(id: number, what: 'PUBACK' | 'PUBREC' | 'PUBCOMP', refusal?: string): void {
    const h = this.held.get(id);
    if (h === undefined) return;
    this.held.delete(id);
    if (refusal !== undefined) finish(this.counts, h.done!, new Error(`${what}: ${refusal}`));
    else finish(this.counts, h.done!, undefined, what === 'PUBCOMP' ? 'pubcomp' : 'puback');
  }

  /** No session can resend these any more: written ones are SessionEnded, never-written ones NotSent. */
  end(why: string): void {
    this.fail(new SessionEnded(`session ended before the ack: ${why}`));
  }

  private fail(err: Error): void {
    if (this.held.size === 0) return;
    const all = [...this.held.values()];
    this.held.clear();
    let notSent: NotSent | null = null;
    for (const h of all) finish(this.counts, h.done!, h.sent ? err : (notSent ??= new NotSent()));
  }
}
