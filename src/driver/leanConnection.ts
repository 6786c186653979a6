import type { Duplex } from 'node:stream';
import type { Packet } from 'mqtt-packet';
import type { QoS } from '../scenario/model.js';
import type { KeepaliveWheel } from './keepaliveWheel.js';
import { ConnectAttempt } from './leanAttempt.js';
import { connackWords } from './leanCodes.js';
import { DISCONNECT_BYTES, PUBACK, PUBCOMP, PUBREC, PUBREL, writeAck } from './leanEncode.js';
import { inputEnd, inputStart } from './leanBatch.js';
import { LeanEnding } from './leanEnding.js';
import { splitFrames, type FrameSink } from './leanInput.js';
import { keepaliveTick, startKeepalive, stopKeepalive, type KeepaliveState } from './leanKeepalive.js';
import { LeanOutput } from './leanOutput.js';
import { dispatchPacket, type InProps, type PacketSink } from './leanPackets.js';
import { LeanPublisher } from './leanPublisher.js';
import { failRequests, sendSubscribe, sendUnsubscribe, type Wait } from './leanRequests.js';
import type { LeanSession } from './leanSession.js';
import { listen, type SocketSink } from './leanSocket.js';
import { closeWords } from './writeLedger.js';
import {
  NotSent,
  type Connection,
  type ConnectionEvents,
  type ConnectOptions,
  type Granted,
  type MessageMeta,
  type PublishDone,
  type PublishProperties,
} from './driver.js';

// A refusal on the hot path shares one error: an Error per message (its stack trace) costs microseconds.
const NOT_CONNECTED = new NotSent('not sent: not connected');

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
const PINGRESP = 0xd0;

/**
 * One lean connection: the state machine from CONNECT to close. What it keeps is its socket, its output
 * (LeanOutput, batched per event-loop turn), a few numbers and, only once used, the maps for waiting
 * SUBSCRIBEs, incoming QoS 2 ids and topic aliases. Keepalive is a slot in the thread's KeepaliveWheel.
 * Around it, as functions over its fields or objects that exist only while used (an idle open connection
 * holds none): the socket listeners (leanSocket.ts), keepalive (leanKeepalive.ts), SUBSCRIBE / UNSUBSCRIBE
 * (leanRequests.ts), packets decoded by mqtt-packet (leanPackets.ts), the PUBLISH side (leanPublisher.ts),
 * the CONNECT until its CONNACK (leanAttempt.ts) and a graceful end (leanEnding.ts). The hot input
 * (onData, onAck, onPublish) stays here: no call added per message.
 */
export class LeanConnection implements Connection, FrameSink, SocketSink, KeepaliveState, PacketSink {
  private state = CONNECTING;
  sessionPresent = false;
  receiveMaximum?: number;
  /** We ended or destroyed it (or the attempt failed): never report it lost. */
  private closing = false;
  readonly protocolVersion: number;
  /** @internal */
  readonly output: LeanOutput;
  /** The broker may keep the session after this connection: held publishes wait for the next connect. */
  private readonly resumable: boolean;
  /** @internal SUBSCRIBEs and UNSUBSCRIBEs waiting, by packet id (their ids are not free for PUBLISH). */
  waits: Map<number, Wait> | null = null;
  /** Incoming QoS 2 ids delivered and not yet released (PUBREL). */
  private q2In: Set<number> | null = null;

  // The PUBLISH side (leanPublisher.ts), made on the first publish.
  private pub: LeanPublisher | null = null;

  // MQTT 5 topic aliases: the broker's Topic Alias Maximum (ours go by topic, in the LeanPublisher), the broker's by alias.
  /** @internal */
  aliasMax = 0;
  private aliasIn: Map<number, string> | null = null;

  // Input: a partial packet (see leanInput.ts).
  pend: Buffer | null = null;
  pendLen = 0;

  // Keepalive (leanKeepalive.ts): the wheel slot, and ticks without traffic / since the PINGREQ.
  kaSlot = 0;
  kaIndex = -1;
  wheel: KeepaliveWheel | null = null;
  idleTicks = 0;
  pingTicks = -1;

  private lastError = '';
  /** @internal */
  lostReason = '';
  /** The CONNECT until its CONNACK. */
  private attempt: ConnectAttempt | null;
  /** From the options (the options object itself is not kept). */
  private readonly keepaliveSec: number;
  private readonly wantAliases: boolean;
  private ending: LeanEnding | null = null;

  constructor(
    private readonly sock: Duplex,
    opts: ConnectOptions,
    private readonly events: ConnectionEvents,
    /** @internal */
    readonly session: LeanSession,
    connectPacket: Buffer,
    resolve: (c: Connection) => void,
    reject: (e: Error) => void,
  ) {
    this.protocolVersion = opts.protocolVersion;
    this.output = new LeanOutput(sock);
    // MQTT 3.1.1 keeps a clean-session-0 session; MQTT 5 one with Clean Start 0 and a session expiry.
    this.resumable = opts.session !== undefined && !opts.clean && (opts.protocolVersion !== 5 || (opts.sessionExpirySec ?? 0) > 0);
    this.keepaliveSec = opts.keepaliveSec;
    this.wantAliases = opts.topicAliases === true;
    this.attempt = new ConnectAttempt(this, resolve, reject, opts.timeoutMs);
    listen(sock, this);
    this.output.append(connectPacket);
  }

  // ---- Connection ------------------------------------------------------------------------

  /** publish() copies the payload into the output at once (a getter: no field per connection). */
  get copiesPayload(): boolean {
    return true;
  }

  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props?: PublishProperties): void {
    if (this.state !== OPEN || this.closing) return done(NOT_CONNECTED);
    (this.pub ??= this.publisher()).publish(topic, payload, qos, retain, done, props);
  }

  /** The PUBLISH side, once the connection is open (the broker's limits are known from its CONNACK). */
  private publisher(): LeanPublisher {
    const aliases = this.wantAliases && this.aliasMax > 0 ? new Map<string, number>() : null;
    return new LeanPublisher(this.output, this.session, this, this.protocolVersion === 5, this.resumable, aliases, this.aliasMax);
  }

  inflight(): number {
    return this.session.pending();
  }

  writable(): boolean {
    return this.state === OPEN && !this.closing && this.output.writable();
  }

  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]> {
    if (this.state !== OPEN || this.closing) return Promise.reject(new Error('not connected'));
    return sendSubscribe(this, filters);
  }

  unsubscribe(topics: string[]): Promise<void> {
    if (this.state !== OPEN || this.closing) return Promise.reject(new Error('not connected'));
    return sendUnsubscribe(this, topics);
  }

  end(): Promise<void> {
    if (this.ending) return this.ending.promise;
    if (this.state === CLOSED) return Promise.resolve();
    this.closing = true;
    stopKeepalive(this);
    // The socket ends once everything before the DISCONNECT is written (bounded: then it is destroyed).
    const ending = (this.ending = new LeanEnding(this));
    this.output.append(DISCONNECT_BYTES);
    this.output.flush();
    this.sock.end();
    return ending.promise;
  }

  destroy(): void {
    this.closing = true;
    stopKeepalive(this);
    this.destroySocket();
  }

  /** @internal What reached the kernel is settled first (a write cut short counts exactly); the rest fails on close. */
  destroySocket(): void {
    if (this.sock.destroyed) return;
    this.output.destroying();
    this.sock.destroy();
  }

  /** @internal Writes what this turn produced. */
  flush(): void {
    this.output.flush();
  }

  private ack(type: number, id: number): void {
    const o = this.output;
    const off = o.reserve(4);
    writeAck(o.buf!, off, type, id);
  }

  // ---- input -------------------------------------------------------------------------------

  /** @internal The first `len` bytes of `chunk` were read (a direct read's buffer is reused: nothing keeps a view of it). */
  onData(chunk: Buffer, len: number = chunk.length): void {
    this.pingTicks = -1;
    // What this read produces (acks) is written when it is handled, not on a tick of its own (leanBatch.ts).
    const own = inputStart(this.output);
    let err: string | null;
    try {
      err = splitFrames(this, chunk, len);
    } finally {
      if (own) inputEnd();
    }
    if (err === null) return;
    this.lostReason = err;
    if (this.attempt) this.failAttempt(err);
    else this.destroySocket();
  }

  /** @internal A 4-byte ack or PINGRESP, read in place. */
  onAck(type: number, id: number): void {
    switch (type) {
      case PUBACK:
        return this.session.complete(id, 0, 'PUBACK');
      case PUBREC:
        this.session.received(id);
        return this.ack(PUBREL, id);
      case PUBCOMP:
        return this.session.complete(id, 0, 'PUBCOMP');
      case PUBREL:
        this.q2In?.delete(id);
        return this.ack(PUBCOMP, id);
      case PINGRESP:
        return;
    }
  }

  /** @internal Any other packet, decoded by mqtt-packet (leanPackets.ts). */
  onPacket(p: Packet): void {
    dispatchPacket(this, p);
  }

  /** @internal A delivery (MQTT 3.1.1 ones read in place by leanPublishIn.ts, MQTT 5 ones decoded by mqtt-packet). */
  onPublish(topic: string, payload: Buffer, qos: QoS, retain: boolean, id: number, props: InProps | undefined): void {
    let meta: MessageMeta | undefined;
    if (props !== undefined) {
      // MQTT 5 §3.3.2.3.4: a topic with an alias sets it, an empty topic uses it.
      const a = props.topicAlias;
      if (a !== undefined) {
        if (topic !== '') (this.aliasIn ??= new Map()).set(a, topic);
        else topic = this.aliasIn?.get(a) ?? '';
      }
      if (props.responseTopic !== undefined) meta = { responseTopic: props.responseTopic, correlationData: props.correlationData };
    }
    if (qos === 0) return this.events.onMessage(topic, payload, 0, retain, meta);
    if (qos === 1) {
      this.ack(PUBACK, id);
      return this.events.onMessage(topic, payload, 1, retain, meta);
    }
    // QoS 2: deliver on the first PUBLISH of an id; a resend before PUBREL is a duplicate.
    this.ack(PUBREC, id);
    const seen = (this.q2In ??= new Set());
    if (seen.has(id)) return;
    seen.add(id);
    this.events.onMessage(topic, payload, 2, retain, meta);
  }

  /** @internal */
  onConnack(code: number, serverKeepAlive: number | undefined): void {
    const attempt = this.attempt;
    if (!attempt) return; // a second CONNACK: ignore
    if (code !== 0) return this.failAttempt(`CONNACK refused: ${connackWords(this.protocolVersion, code)}`);
    this.attempt = null;
    this.state = OPEN;
    // The session's held publishes go first (session present), or fail (the broker has none).
    const session = this.session;
    session.attach(this.output);
    if (this.sessionPresent) session.resend(this.output);
    else session.end('the broker did not resume the session (CONNACK session present = 0)');
    startKeepalive(this, serverKeepAlive ?? this.keepaliveSec);
    attempt.accepted(this);
  }

  // ---- keepalive and closing ---------------------------------------------------------------

  /** @internal One keepalive tick (from the wheel). */
  tick(): void {
    if (this.state !== OPEN || !keepaliveTick(this, this.output)) return;
    this.lostReason = 'keepalive timeout';
    stopKeepalive(this);
    this.destroySocket();
  }

  /** @internal */
  connectTimedOut(): void {
    if (this.attempt) this.failAttempt(`timeout: no CONNACK within ${this.attempt.timeoutMs} ms`);
  }

  private failAttempt(reason: string): void {
    const attempt = this.attempt;
    if (!attempt) return;
    this.attempt = null;
    this.closing = true; // a failed attempt is not a lost connection
    this.output.close(reason);
    this.sock.destroy();
    attempt.failed(reason);
  }

  /** @internal */
  onError(err: NodeJS.ErrnoException): void {
    this.lastError = err.code ?? err.message;
    if (this.attempt) this.failAttempt(this.lastError);
  }

  /** @internal */
  onDrain(): void {
    if (this.state === OPEN && !this.closing) this.events.onDrain?.();
  }

  /** @internal */
  onClose(): void {
    const wasOpen = this.state === OPEN;
    this.state = CLOSED;
    stopKeepalive(this);
    this.pend = null;
    if (this.attempt) this.failAttempt(this.lastError || 'connection closed before CONNACK');
    else if (wasOpen && !this.closing) {
      this.closing = true;
      this.events.onLost(this.lostReason || this.lastError || closeWords(this.output.ledger));
    }
    // Whatever still waits for an answer will not get one (after onLost, so the device no
    // longer holds this connection when the callbacks run).
    failRequests(this);
    // QoS 0 not written yet: NotSent. QoS 1/2: held for the next connect, or failed now.
    this.output.close('the connection closed before it was written');
    this.session.detach(this.output);
    if (!this.resumable) this.session.end('the connection closed (clean session)');
    this.ending?.closed();
  }
}
