import { reasonWords } from './leanCodes.js';
import { PUBREL, writeAck } from './leanEncode.js';
import { failHeld, markWritten } from './held.js';
import type { LeanOutput } from './leanOutput.js';
import { NotSent, SessionEnded, type OutboundSession, type PublishDone } from './driver.js';

/** One QoS 1/2 publish waiting for its PUBACK / PUBCOMP. */
class Held {
  /** Handed to the kernel on some connection (a resend sets DUP; if the session ends it is SessionEnded, not NotSent). */
  written = false;
  /** PUBREC came: the flow continues with PUBREL. */
  rec = false;
  constructor(
    readonly done: PublishDone,
    /** Its position in the output of the connection that last wrote it (see WriteLedger.writtenPos). */
    public pos: number,
    /** The encoded PUBLISH, kept for a resend (only when the session can be resumed). */
    readonly frame: Buffer | null,
  ) {}
}

/**
 * The lean driver's outbound session: the QoS 1/2 publishes not yet completed, by packet id, in the
 * order they were first sent (a Map keeps insertion order). A connection attaches its output while it
 * is open. On a reconnect with CONNACK session-present = 1 `resend` writes them again first — the
 * PUBLISH bytes with DUP = 1 and the same packet id, or a PUBREL once PUBREC had come (MQTT 3.1.1 and
 * 5, §4.4); otherwise `end` fails them. A connection without a session from the device gets a private one.
 */
/** The held map of a session that never held anything (replaced on first use; never added to). */
const NONE = new Map<number, Held>();

export class LeanSession implements OutboundSession {
  private held = NONE;
  private nextId = 1;
  private output: LeanOutput | null = null;

  pending(): number {
    return this.held.size;
  }

  abandon(err: Error): void {
    this.fail(err);
  }

  /** 1..65535, cycling, skipping ids held here or used by `busy` (SUBSCRIBEs); 0 when all are taken. */
  allocId(busy: ReadonlyMap<number, unknown> | null): number {
    const held = this.held;
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (!held.has(id) && (busy === null || !busy.has(id))) return id;
    }
    return 0;
  }

  add(id: number, done: PublishDone, pos: number, frame: Buffer | null): void {
    if (this.held === NONE) this.held = new Map();
    this.held.set(id, new Held(done, pos, frame));
  }

  /** PUBACK / PUBCOMP (or a refusing PUBREC) for `id`; unknown ids (abandoned, or not ours) are ignored. */
  complete(id: number, rc: number, what: 'PUBACK' | 'PUBREC' | 'PUBCOMP'): void {
    const h = this.held.get(id);
    if (h === undefined) return;
    this.held.delete(id);
    if (rc >= 0x80) h.done(new Error(`${what}: ${reasonWords(rc)}`));
    else h.done(undefined, what === 'PUBCOMP' ? 'pubcomp' : 'puback');
  }

  received(id: number): void {
    const h = this.held.get(id);
    if (h !== undefined) h.rec = true;
  }

  /** A connection's output starts carrying this session's publishes. */
  attach(output: LeanOutput): void {
    this.output = output;
  }

  /** The connection closed: remember which publishes it wrote; they wait for the next connect. */
  detach(output: LeanOutput): void {
    if (this.output !== output) return;
    this.markWritten();
    this.output = null;
  }

  /**
   * CONNACK session-present = 1: everything held goes out again, in order, before anything new.
   * A publish never written goes with DUP = 0; one without its bytes (kept only when resumable) fails.
   */
  resend(out: LeanOutput): void {
    let lost: Held[] | null = null;
    for (const [id, h] of this.held) {
      if (h.rec) {
        const off = out.reserve(4);
        writeAck(out.buf!, off, PUBREL, id);
      } else if (h.frame !== null) {
        const off = out.reserve(h.frame.length);
        out.buf!.set(h.frame, off);
        if (h.written) out.buf![off] |= 0x08;
      } else {
        (lost ??= []).push(h);
        this.held.delete(id);
        continue;
      }
      h.pos = out.published(null);
    }
    if (lost) for (const h of lost) h.done(h.written ? new SessionEnded() : new NotSent());
  }

  /** The broker has no session for us (or it ended with the connection): every held publish fails. */
  end(why: string): void {
    if (this.held.size === 0) return; // nothing to fail: no error built (a clean connect ends an empty session)
    this.fail(new SessionEnded(`session ended before the ack: ${why}`));
  }

  /** Fails everything held: `err` for what was written, NotSent for what never left. */
  private fail(err: Error): void {
    failHeld(this.held, this.output?.ledger ?? null, err, (h, e) => h.done(e));
  }

  private markWritten(): void {
    markWritten(this.held.values(), this.output?.ledger ?? null);
  }
}
