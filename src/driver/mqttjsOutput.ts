import type { Writable } from 'node:stream';
import { tcpCounters, WriteLedger } from './writeLedger.js';
import type { PublishDone } from './driver.js';

const EMPTY = Buffer.alloc(0);

/**
 * What of an mqtt.js connection's output reached the kernel. mqtt.js writes each packet into the
 * (corked) socket itself and offers no cheap per-packet signal: a QoS 0 publish callback becomes a
 * 'drain' listener per message under back-pressure (quadratic to remove). So publishes are only
 * numbered (WriteLedger); once per event-loop turn, after mqtt-packet uncorked the socket, a check
 * looks at it: nothing buffered means all of it is in the kernel; otherwise a zero-length write is
 * queued behind the turn's bytes, and its callback marks the turn written. On plain TCP a publish's
 * position is the byte offset of its end (read from the socket right after mqtt.js wrote it), so a
 * socket destroyed mid-write settles exactly; on TLS and WebSocket it is the publish's number.
 */
export class MqttjsOutput {
  readonly ledger: WriteLedger;
  /** The position of the last publish: its byte offset on plain TCP, else its number. */
  private pos = 0;
  private readonly tcp: ReturnType<typeof tcpCounters>;
  private scheduled = false;
  private retries = 0;
  private closed = false;
  private readonly check = (): void => this.onTurnEnd();

  constructor(private readonly stream: Writable) {
    this.ledger = new WriteLedger(stream);
    this.tcp = tcpCounters(stream);
  }

  /** Numbers a publish just handed to mqtt.js; a QoS 0 one passes its done, called once it is written. */
  published(qos0Done: PublishDone | null): number {
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.check);
    }
    const pos = (this.pos = this.tcp !== null ? this.tcp.submitted() : this.pos + 1);
    this.ledger.published(qos0Done, pos);
    return pos;
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
    if (this.ledger.settleIfIdle(this.pos)) return;
    if (s.destroyed || s.writableEnded) return; // close() fails what is left
    const rec = this.ledger.mark(this.pos);
    s.write(EMPTY, this.ledger.onWritten);
    if (s.writableLength === 0) this.ledger.completedAtOnce(rec);
  }

  /** The driver destroys the socket now: on plain TCP, what reached the kernel is settled exactly. */
  destroying(): void {
    const k = this.tcp === null ? -1 : this.tcp.inKernel();
    this.ledger.destroying(k >= 0 ? k : null);
  }

  close(reason: string): void {
    this.closed = true;
    this.ledger.close(reason);
  }
}
