import type { Duplex } from 'node:stream';
import { generate, type Packet } from 'mqtt-packet';
import type { QoS } from '../scenario/model.js';
import { keepaliveWheel, type KeepaliveTicker, type KeepaliveWheel } from './keepaliveWheel.js';
import { connackWords, reasonWords } from './leanCodes.js';
import { DISCONNECT_BYTES, PINGREQ_BYTES, PUBACK, PUBCOMP, PUBREC, PUBREL, writeAck } from './leanEncode.js';
import { inputEnd, inputStart } from './leanBatch.js';
import { splitFrames, type FrameSink } from './leanInput.js';
import { LeanOutput } from './leanOutput.js';
import { LeanPublisher } from './leanPublisher.js';
import type { LeanSession } from './leanSession.js';
import { closeWords } from './writeLedger.js';
import {
  ConnectFailure,
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

/** A SUBSCRIBE or UNSUBSCRIBE waiting for its SUBACK / UNSUBACK. */
interface Wait {
  resolve: (granted: Granted[]) => void;
  reject: (err: Error) => void;
  count: number;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
/** Keepalive ticks per keepalive period: a PINGREQ after 3 idle ticks (¾–1 period), a timeout 6 ticks (1.5 periods) after it. */
const TICKS_PER_PERIOD = 4;
const PING_AFTER_IDLE_TICKS = 3;
const PING_TIMEOUT_TICKS = 6;
const END_FALLBACK_MS = 2000;
const PINGRESP = 0xd0;

/** The connection a socket belongs to: the socket listeners are shared functions, not closures per connection. */
/** Where a socket keeps its connection (the shared listeners' `this` is the socket). */
export const CONN = Symbol('leanConnection');
export type Owned = Duplex & { [CONN]: LeanConnection };

/**
 * One lean connection: the state machine from CONNECT to close. What it keeps is its socket, its output
 * (LeanOutput, batched per event-loop turn), a few numbers and, only once used, the maps for waiting
 * SUBSCRIBEs, incoming QoS 2 ids and topic aliases. Keepalive is a slot in the thread's KeepaliveWheel.
 */
export class LeanConnection implements Connection, FrameSink, KeepaliveTicker {
  private state = CONNECTING;
  sessionPresent = false;
  receiveMaximum?: number;
  /** We ended or destroyed it (or the attempt failed): never report it lost. */
  private closing = false;
  readonly protocolVersion: number;
  private readonly output: LeanOutput;
  /** The broker may keep the session after this connection: held publishes wait for the next connect. */
  private readonly resumable: boolean;
  /** @internal SUBSCRIBEs and UNSUBSCRIBEs waiting, by packet id (their ids are not free for PUBLISH). */
  waits: Map<number, Wait> | null = null;
  /** Incoming QoS 2 ids delivered and not yet released (PUBREL). */
  private q2In: Set<number> | null = null;

  // The PUBLISH side (leanPublisher.ts), made on the first publish.
  private pub: LeanPublisher | null = null;

  // MQTT 5 topic aliases: the broker's Topic Alias Maximum (ours go by topic, in the LeanPublisher), the broker's by alias.
  private aliasMax = 0;
  private aliasIn: Map<number, string> | null = null;

  // Input: a partial packet (see leanInput.ts).
  pend: Buffer | null = null;
  pendLen = 0;

  // Keepalive: the wheel slot, and ticks without traffic / since the PINGREQ.
  kaSlot = 0;
  kaIndex = -1;
  private wheel: KeepaliveWheel | null = null;
  private idleTicks = 0;
  private pingTicks = -1;

  private lastError = '';
  private lostReason = '';
  private connectTimer: NodeJS.Timeout | null;
  private attempt: { resolve: (c: Connection) => void; reject: (e: Error) => void; opts: ConnectOptions } | null;
  /** From the options (the options object itself is not kept). */
  private readonly keepaliveSec: number;
  private readonly wantAliases: boolean;
  private endPromise: Promise<void> | null = null;
  private endResolve: (() => void) | null = null;
  private endTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sock: Duplex,
    opts: ConnectOptions,
    private readonly events: ConnectionEvents,
    private readonly session: LeanSession,
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
    this.attempt = { resolve, reject, opts };
    (sock as Owned)[CONN] = this;
    // A socket made with directRead() emits no 'data': its reads come to onRead.
    sock.on('data', onData);
    sock.on('error', onError);
    sock.on('close', onClose);
    sock.on('drain', onDrain);
    this.connectTimer = setTimeout(connectTimeout, opts.timeoutMs, this);
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
    return this.request((messageId) => ({ cmd: 'subscribe', messageId, subscriptions: filters.map((f) => ({ topic: f.topic, qos: f.qos })) }), filters.length);
  }

  unsubscribe(topics: string[]): Promise<void> {
    return this.request((messageId) => ({ cmd: 'unsubscribe', messageId, unsubscriptions: topics }), 0).then(() => undefined);
  }

  private request(packet: (id: number) => Packet, count: number): Promise<Granted[]> {
    if (this.state !== OPEN || this.closing) return Promise.reject(new Error('not connected'));
    const id = this.session.allocId(this.waits);
    if (id === 0) return Promise.reject(new Error('no free packet id'));
    let bytes: Buffer;
    try {
      bytes = generate(packet(id), { protocolVersion: this.protocolVersion as 4 | 5 });
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.output.append(bytes);
    return new Promise<Granted[]>((resolve, reject) => {
      (this.waits ??= new Map()).set(id, { resolve, reject, count });
    });
  }

  end(): Promise<void> {
    if (this.endPromise) return this.endPromise;
    if (this.state === CLOSED) return Promise.resolve();
    this.closing = true;
    this.stopKeepalive();
    this.endPromise = new Promise<void>((resolve) => {
      this.endResolve = resolve;
    });
    // The socket ends once everything before the DISCONNECT is written (bounded: then it is destroyed).
    this.endTimer = setTimeout(destroyLater, END_FALLBACK_MS, this);
    this.output.append(DISCONNECT_BYTES);
    this.output.flush();
    this.sock.end();
    return this.endPromise;
  }

  destroy(): void {
    this.closing = true;
    this.stopKeepalive();
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

  /** @internal Any other packet, decoded by mqtt-packet. */
  onPacket(p: Packet): void {
    switch (p.cmd) {
      case 'publish':
        return this.onPublish(p.topic, p.payload as Buffer, p.qos, p.retain === true, p.messageId ?? 0, p.properties);
      case 'puback':
        return this.session.complete(p.messageId!, p.reasonCode ?? 0, 'PUBACK');
      case 'pubrec': {
        const rc = p.reasonCode ?? 0;
        if (rc >= 0x80) return this.session.complete(p.messageId!, rc, 'PUBREC');
        return this.onAck(PUBREC, p.messageId!);
      }
      case 'pubcomp':
        return this.session.complete(p.messageId!, p.reasonCode ?? 0, 'PUBCOMP');
      case 'pubrel':
        return this.onAck(PUBREL, p.messageId!);
      case 'suback':
        return this.onSuback(p.messageId!, p.granted as number[]);
      case 'unsuback':
        return this.onSuback(p.messageId!, []);
      case 'connack':
        this.sessionPresent = p.sessionPresent === true;
        if (p.properties?.receiveMaximum !== undefined) this.receiveMaximum = p.properties.receiveMaximum;
        if (p.properties?.topicAliasMaximum !== undefined) this.aliasMax = p.properties.topicAliasMaximum;
        return this.onConnack(p.returnCode ?? p.reasonCode ?? 0, p.properties?.serverKeepAlive);
      case 'disconnect':
        // MQTT 5: the broker says why before it closes.
        this.lostReason = `broker sent DISCONNECT: ${reasonWords(p.reasonCode ?? 0)}`;
        return;
      default:
        return; // PINGRESP with a body, AUTH: never asked for
    }
  }

  /** @internal A delivery (MQTT 3.1.1 ones read in place by leanPublishIn.ts, MQTT 5 ones decoded by mqtt-packet). */
  onPublish(
    topic: string,
    payload: Buffer,
    qos: QoS,
    retain: boolean,
    id: number,
    props: { topicAlias?: number; responseTopic?: string; correlationData?: Buffer } | undefined,
  ): void {
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

  private onSuback(id: number, granted: number[]): void {
    const w = this.waits?.get(id);
    if (!w) return;
    this.waits!.delete(id);
    const out: Granted[] = [];
    for (let k = 0; k < w.count; k++) {
      const g = granted[k];
      out.push(g === 0 || g === 1 || g === 2 ? g : 128);
    }
    w.resolve(out);
  }

  private onConnack(code: number, serverKeepAlive: number | undefined): void {
    const attempt = this.attempt;
    if (!attempt) return; // a second CONNACK: ignore
    if (code !== 0) return this.failAttempt(`CONNACK refused: ${connackWords(this.protocolVersion, code)}`);
    this.attempt = null;
    clearTimeout(this.connectTimer!);
    this.connectTimer = null;
    this.state = OPEN;
    // The session's held publishes go first (session present), or fail (the broker has none).
    const session = this.session;
    session.attach(this.output);
    if (this.sessionPresent) session.resend(this.output);
    else session.end('the broker did not resume the session (CONNACK session present = 0)');
    const ka = serverKeepAlive ?? this.keepaliveSec;
    if (ka > 0) {
      this.wheel = keepaliveWheel((ka * 1000) / TICKS_PER_PERIOD);
      this.wheel.add(this);
    }
    attempt.resolve(this);
  }

  // ---- keepalive and closing ---------------------------------------------------------------

  /** @internal One keepalive tick (from the wheel). */
  tick(): void {
    if (this.state !== OPEN) return;
    if (this.pingTicks >= 0) {
      if (++this.pingTicks >= PING_TIMEOUT_TICKS) {
        this.lostReason = 'keepalive timeout';
        this.stopKeepalive();
        this.destroySocket();
      }
      return;
    }
    if (this.output.sentSinceTick) {
      this.output.sentSinceTick = false;
      this.idleTicks = 0;
      return;
    }
    if (++this.idleTicks >= PING_AFTER_IDLE_TICKS) {
      this.idleTicks = 0;
      this.pingTicks = 0;
      this.output.append(PINGREQ_BYTES);
    }
  }

  private stopKeepalive(): void {
    this.wheel?.remove(this);
    this.wheel = null;
  }

  /** @internal */
  connectTimedOut(): void {
    if (this.attempt) this.failAttempt(`timeout: no CONNACK within ${this.attempt.opts.timeoutMs} ms`);
  }

  private failAttempt(reason: string): void {
    const attempt = this.attempt;
    if (!attempt) return;
    this.attempt = null;
    this.closing = true; // a failed attempt is not a lost connection
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.output.close(reason);
    this.sock.destroy();
    attempt.reject(new ConnectFailure(reason));
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
    this.stopKeepalive();
    this.pend = null;
    if (this.endTimer !== null) clearTimeout(this.endTimer);
    if (this.attempt) this.failAttempt(this.lastError || 'connection closed before CONNACK');
    else if (wasOpen && !this.closing) {
      this.closing = true;
      this.events.onLost(this.lostReason || this.lastError || closeWords(this.output.ledger));
    }
    // Whatever still waits for an answer will not get one (after onLost, so the device no
    // longer holds this connection when the callbacks run).
    if (this.waits !== null && this.waits.size > 0) {
      const waits = [...this.waits.values()];
      this.waits.clear();
      for (const w of waits) w.reject(new Error('connection closed before SUBACK'));
    }
    // QoS 0 not written yet: NotSent. QoS 1/2: held for the next connect, or failed now.
    this.output.close('the connection closed before it was written');
    this.session.detach(this.output);
    if (!this.resumable) this.session.end('the connection closed (clean session)');
    this.endResolve?.();
  }
}

// Shared socket listeners and timer callbacks (`this` is the socket; its connection is under CONN).
function onData(this: Owned, chunk: Buffer): void {
  this[CONN].onData(chunk);
}
function onError(this: Owned, err: NodeJS.ErrnoException): void {
  this[CONN].onError(err);
}
function onClose(this: Owned): void {
  this[CONN].onClose();
}
function onDrain(this: Owned): void {
  this[CONN].onDrain();
}
function connectTimeout(c: LeanConnection): void {
  c.connectTimedOut();
}
function destroyLater(c: LeanConnection): void {
  c.destroySocket();
}
