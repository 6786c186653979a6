import type { QoS } from '../scenario/model.js';
import { asciiLength, frameSize, MAX_REMAINING, publishRemaining, writePublish } from './leanEncode.js';
import type { LeanOutput } from './leanOutput.js';
import { encodeProps } from './leanProps.js';
import type { LeanSession } from './leanSession.js';
import { PublishFrame } from './publishFrame.js';
import { MAX_QUEUED_BYTES } from './writeLedger.js';
import { NotSent, type PublishDone, type PublishProperties } from './driver.js';

// Refusals on the hot path share one error each: an Error per message (its stack trace) costs microseconds.
const BUFFER_FULL = new NotSent('not sent: the socket send buffer is full');
const TOO_LARGE = new NotSent('not sent: message too large for MQTT');
const NO_PACKET_ID = new NotSent('not sent: no free packet id (65,535 messages in flight)');

/** What the publisher reads of its connection: the packet ids its waiting SUBSCRIBEs and UNSUBSCRIBEs hold. */
export interface IdsInUse {
  readonly waits: ReadonlyMap<number, unknown> | null;
}

/**
 * The PUBLISH side of one open lean connection (made on its first publish: a connection that never
 * publishes holds none): encodes each PUBLISH straight into the connection's per-turn output — from the
 * pre-encoded frame of the last shape (publishFrame.ts) or the generic encoder, with MQTT 5 properties and
 * topic aliases when asked — refuses what would make the output grow without bound, and hands QoS 0
 * publishes to the write ledger and QoS 1/2 ones to the session.
 */
export class LeanPublisher {
  /** The last publish's pre-encoded frame, made on the first publish without properties. */
  private frame: PublishFrame | null = null;

  constructor(
    private readonly output: LeanOutput,
    private readonly session: LeanSession,
    private readonly ids: IdsInUse,
    private readonly v5: boolean,
    /** The broker may keep the session after this connection: a QoS 1/2 frame is kept for a resend. */
    private readonly resumable: boolean,
    /** MQTT 5 topic aliases we assign, by topic (null: not asked for, or the broker allows none), up to aliasMax. */
    private readonly aliasOut: Map<string, number> | null,
    private readonly aliasMax: number,
  ) {}

  /** A PUBLISH on the open connection (the connection checked it is open). */
  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props?: PublishProperties): void {
    if (props !== undefined || this.aliasOut !== null) return this.publishWithProps(topic, payload, qos, retain, done, props);
    // The same topic, QoS and size as the last publish: its pre-encoded frame; else the generic encoder.
    const f = (this.frame ??= new PublishFrame());
    if (f.ready(topic, qos, retain, payload.length, this.v5)) return this.writeFrame(f, payload, qos, done);
    let tb: Buffer | string = topic;
    let tl = asciiLength(topic);
    if (tl < 0) tl = (tb = Buffer.from(topic, 'utf8')).length;
    this.write(tb, tl, payload, qos, retain, done, null);
  }

  /** A publish from the pre-encoded frame: the checks and bookkeeping of write(), without encoding. */
  private writeFrame(f: PublishFrame, payload: Buffer, qos: QoS, done: PublishDone): void {
    const id = this.admit(qos, done);
    if (id < 0) return;
    const off = this.output.reserve(f.size);
    f.write(this.output.buf!, off, payload, id);
    this.sent(off, f.size, id, qos, done);
  }

  /** MQTT 5 properties and/or topic aliases (not on the plain hot path). */
  private publishWithProps(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props: PublishProperties | undefined): void {
    let alias = 0;
    let tb: Buffer | string = topic;
    const aliases = this.aliasOut;
    // A frame kept for a resend on another connection must carry its topic: no alias there.
    if (aliases !== null && !(qos > 0 && this.resumable)) {
      const known = aliases.get(topic);
      if (known !== undefined) {
        alias = known;
        tb = '';
      } else if (aliases.size < this.aliasMax) {
        alias = aliases.size + 1;
        aliases.set(topic, alias);
      }
    }
    let tl = asciiLength(tb);
    if (tl < 0) tl = (tb = Buffer.from(topic, 'utf8')).length;
    this.write(tb, tl, payload, qos, retain, done, encodeProps(props, alias));
  }

  private write(tb: Buffer | string, tl: number, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props: Buffer | null): void {
    const v5 = this.v5;
    const rem = publishRemaining(tl, payload.length, qos, v5, props === null ? 0 : props.length);
    if (rem > MAX_REMAINING || tl > 0xffff) return done(TOO_LARGE);
    const id = this.admit(qos, done);
    if (id < 0) return;
    const size = frameSize(rem);
    const off = this.output.reserve(size);
    writePublish(this.output.buf!, off, rem, tb, payload, qos, retain, id, v5, props);
    this.sent(off, size, id, qos, done);
  }

  /** Room for one more PUBLISH: its packet id (0 at QoS 0), or -1 when it is refused (done was called). */
  private admit(qos: QoS, done: PublishDone): number {
    // A caller that ignores writable() still cannot make the output grow without bound.
    if (this.output.queued() > MAX_QUEUED_BYTES) {
      done(BUFFER_FULL);
      return -1;
    }
    if (qos === 0) return 0;
    const id = this.session.allocId(this.ids.waits);
    if (id === 0) done(NO_PACKET_ID);
    return id === 0 ? -1 : id;
  }

  /** A PUBLISH of `size` bytes was written at `off` in this turn's output: the ledger (QoS 0) or the session (QoS 1/2) takes it. */
  private sent(off: number, size: number, id: number, qos: QoS, done: PublishDone): void {
    const o = this.output;
    if (qos === 0) o.published(done);
    else this.session.add(id, done, o.published(null), this.resumable ? o.keep(off, size) : null);
    o.flushIfLarge();
  }
}
