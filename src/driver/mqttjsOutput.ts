import type { Writable } from 'node:stream';
import { WriteLedger } from './writeLedger.js';
import type { PublishDone } from './types.js';

const EMPTY = Buffer.alloc(0);

/**
 * What of an mqtt.js connection's output reached the kernel. mqtt.js writes each packet into the
 * (corked) socket itself and offers no cheap per-packet signal: a QoS 0 publish callback becomes a
 * 'drain' listener per message under back-pressure (quadratic to remove). So publishes are only
 * numbered (WriteLedger); once per event-loop turn, after mqtt-packet uncorked the socket, a check
 * looks at it: nothing buffered means all of it is in the kernel; otherwise a zero-length write is
 * queued behind the turn's bytes, and its callback marks the turn written.
 */
export class MqttjsOutput {
  readonly ledger: WriteLedger;
  private scheduled = false;
  private retries = 0;
  private closed = false;
  private readonly check = (): void => this.onTurnEnd();

  constructor(private readonly stream: Writable) {
    this.ledger = new WriteLedger(stream);
  }

  /** Numbers a publish just handed to mqtt.js; a QoS 0 one passes its done, called once it is written. */
  published(qos0Done: PublishDone | null): number {
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.check);
    }
    return this.ledger.published(qos0Done);
  }

  private onTurnEnd(): void {
    const s = this.stream;
    if (this.closed) return;
    // Publishes later in the same turn corked the socket again (each uncorks on its own next tick).
    if (s.writableCorked > 0) {
      if (this.retries++ < 3) process.nextTick(this.check);
      else setImmediate(this.check);
      return;
    }
    this.scheduled = false;
    this.retries = 0;
    if (this.ledger.settleIfIdle()) return;
    if (s.destroyed || s.writableEnded) return; // close() fails what is left
    const rec = this.ledger.mark();
    s.write(EMPTY, this.ledger.onWritten);
    if (s.writableLength === 0) this.ledger.completedAtOnce(rec);
  }

  close(reason: string): void {
    this.closed = true;
    this.ledger.close(reason);
  }
}
