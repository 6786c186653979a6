import { isIP, connect as netConnect, type Socket } from 'node:net';
import { DEFAULT_PORTS } from './probe.js';
import { urlCredentials } from '../shared/urlCredentials.js';
import { connect as tlsConnect } from 'node:tls';
import { generate, parser as makeParser, type Packet, type Parser } from 'mqtt-packet';
import type { QoS } from '../scenario/model.js';
import { connackWords, reasonWords } from './leanCodes.js';
import {
  asciiLength, DISCONNECT_BYTES, frameSize, MAX_REMAINING, PINGREQ_BYTES, PUBACK, PUBCOMP, PUBREC, PUBREL, publishRemaining, writeAck, writePublish,
} from './leanEncode.js';
import { LeanOutput } from './leanOutput.js';
import { LeanSession } from './leanSession.js';
import { connectFields } from './connectFields.js';
import { closeWords, MAX_QUEUED_BYTES } from './writeLedger.js';
import { ConnectFailure, NotSent, type Connection, type ConnectionEvents, type ConnectOptions, type Driver, type Granted, type PublishDone } from './driver.js';

/**
 * The lean driver: MQTT 3.1.1 and 5 over plain `node:net` / `node:tls` sockets, with mqtt-packet
 * as the codec. What it keeps per connection is a socket, a parser and a few numbers; a message
 * costs one encode into the connection's per-turn output buffer (one socket write per
 * event-loop turn, see LeanOutput), plus a session entry for QoS 1/2 until its ack (LeanSession:
 * re-sent after a reconnect that resumes the session).
 *
 * Not supported (use `driver: mqttjs`): WebSocket, MQTT 5 topic aliases / AUTH.
 */
export const leanDriver: Driver = {
  name: 'lean',
  newSession: () => new LeanSession(),
  connect(opts, events) {
    return new Promise<Connection>((resolve, reject) => {
      const ep = parseEndpoint(opts.url);
      if (typeof ep === 'string') return reject(new ConnectFailure(ep));
      if (opts.session !== undefined && !(opts.session instanceof LeanSession)) return reject(new ConnectFailure('the session was made by another driver'));
      const o = ep.username !== undefined && opts.username === undefined ? { ...opts, username: ep.username, password: opts.password ?? ep.password } : opts;
      let connectPacket: Buffer;
      try {
        connectPacket = generate({ cmd: 'connect', ...connectFields(o) });
      } catch (err) {
        return reject(new ConnectFailure(`invalid CONNECT: ${(err as Error).message}`));
      }
      const sock = ep.tls
        ? tlsConnect({
            host: ep.host,
            port: ep.port,
            servername: o.tls?.servername ?? (isIP(ep.host) ? undefined : ep.host),
            rejectUnauthorized: o.tls?.rejectUnauthorized ?? true,
            ...(o.tls?.ca !== undefined ? { ca: o.tls.ca } : {}),
            ...(o.tls?.cert !== undefined ? { cert: o.tls.cert } : {}),
            ...(o.tls?.key !== undefined ? { key: o.tls.key } : {}),
            ...(o.localAddress !== undefined ? { localAddress: o.localAddress } : {}),
          })
        : netConnect({ host: ep.host, port: ep.port, ...(o.localAddress !== undefined ? { localAddress: o.localAddress } : {}) });
      sock.setNoDelay(true);
      new LeanConnection(sock, o, events, connectPacket, resolve, reject);
    });
  },
};

export interface Endpoint {
  tls: boolean;
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** Where to connect, or why the URL cannot be used by this driver. */
export function parseEndpoint(url: string): Endpoint | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a valid URL: ${url}`;
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme === 'ws' || scheme === 'wss') return `the lean driver does not support ${scheme}:// — use driver: mqttjs`;
  const tls = scheme === 'mqtts' || scheme === 'ssl' || scheme === 'tls';
  if (!tls && scheme !== 'mqtt' && scheme !== 'tcp') return `unsupported URL scheme "${scheme}://"`;
  const ep: Endpoint = { tls, host: u.hostname.replace(/^\[|\]$/g, '') || 'localhost', port: u.port ? Number(u.port) : DEFAULT_PORTS[tls ? 'mqtts:' : 'mqtt:'] };
  const credentials = urlCredentials(u);
  if (typeof credentials === 'string') return credentials;
  Object.assign(ep, credentials);
  return ep;
}

type Done = PublishDone;
// Refusals on the hot path share one error each: an Error per message (its stack trace) costs microseconds.
const NOT_CONNECTED = new NotSent('not sent: not connected');
const BUFFER_FULL = new NotSent('not sent: the socket send buffer is full');
interface SubWait {
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

export class LeanConnection implements Connection {
  private state = CONNECTING;
  sessionPresent = false;
  receiveMaximum?: number;
  /** We ended or destroyed it (or the attempt failed): never report it lost. */
  private closing = false;
  private readonly v5: boolean;
  private readonly parser: Parser;
  private readonly output: LeanOutput;

  // Outgoing QoS 1/2 publishes (the device's session, or a private one) and SUBSCRIBEs, by packet id.
  private readonly session: LeanSession;
  /** The broker may keep the session after this connection: held publishes wait for the next connect. */
  private readonly resumable: boolean;
  private subs: Map<number, SubWait> | null = null;
  /** Incoming QoS 2 ids delivered and not yet released (PUBREL). */
  private q2In: Set<number> | null = null;

  // The last topic published, and its bytes once it was used twice.
  private topicStr = '';
  private topicBuf: Buffer | null = null;

  // Keepalive.
  private kaTimer: NodeJS.Timeout | null = null;
  private idleTicks = 0;
  private pingOut = false;
  private pingTicks = 0;

  private lastError = '';
  private lostReason = '';

  private connectTimer: NodeJS.Timeout | null;
  private attempt: { resolve: (c: Connection) => void; reject: (e: Error) => void } | null;
  private endPromise: Promise<void> | null = null;
  private endResolve: (() => void) | null = null;
  private endTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sock: Socket,
    private readonly opts: ConnectOptions,
    private readonly events: ConnectionEvents,
    connectPacket: Buffer,
    resolve: (c: Connection) => void,
    reject: (e: Error) => void,
  ) {
    this.v5 = opts.protocolVersion === 5;
    this.output = new LeanOutput(sock, scheduleFlush);
    // MQTT 3.1.1 keeps a clean-session-0 session; MQTT 5 one with Clean Start 0 and a session expiry.
    this.resumable = opts.session !== undefined && !opts.clean && (!this.v5 || (opts.sessionExpirySec ?? 0) > 0);
    this.session = (opts.session as LeanSession | undefined) ?? new LeanSession();
    this.attempt = { resolve, reject };
    this.parser = makeParser({ protocolVersion: opts.protocolVersion });
    this.parser.on('packet', (p: Packet) => this.onPacket(p));
    this.parser.on('error', (err: Error) => {
      this.lostReason = `protocol error: ${err.message}`;
      if (this.attempt) this.failAttempt(this.lostReason);
      else this.destroySocket();
    });
    sock.on('data', (chunk: Buffer) => {
      this.pingOut = false;
      this.parser.parse(chunk);
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      this.lastError = err.code ?? err.message;
      if (this.attempt) this.failAttempt(this.lastError);
    });
    sock.on('close', () => this.onClose());
    sock.on('drain', () => {
      if (this.state === OPEN && !this.closing) this.events.onDrain?.();
    });
    this.connectTimer = setTimeout(() => this.failAttempt(`timeout: no CONNACK within ${opts.timeoutMs} ms`), opts.timeoutMs);
    this.output.append(connectPacket);
  }

  // ---- Connection ------------------------------------------------------------------------

  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: Done): void {
    if (this.state !== OPEN || this.closing) return done(NOT_CONNECTED);
    // A topic used again is copied from its cached bytes; a new short ASCII one is written as is.
    let tb: Buffer | string;
    let tl: number;
    if (topic === this.topicStr) {
      tb = this.topicBuf ??= Buffer.from(topic, 'utf8');
      tl = tb.length;
    } else {
      this.topicStr = topic;
      this.topicBuf = null;
      tl = asciiLength(topic);
      if (tl >= 0) tb = topic;
      else {
        tb = this.topicBuf = Buffer.from(topic, 'utf8');
        tl = tb.length;
      }
    }
    const rem = publishRemaining(tl, payload.length, qos, this.v5);
    if (rem > MAX_REMAINING || tl > 0xffff) return done(new NotSent('not sent: message too large for MQTT'));
    const o = this.output;
    // A caller that ignores writable() still cannot make the output grow without bound.
    if (o.queued() > MAX_QUEUED_BYTES) return done(BUFFER_FULL);
    let id = 0;
    if (qos > 0) {
      id = this.session.allocId(this.subs);
      if (id === 0) return done(new NotSent('not sent: no free packet id (65,535 messages in flight)'));
    }
    const size = frameSize(rem);
    const off = o.reserve(size);
    writePublish(o.buf!, off, rem, tb, payload, qos, retain, id, this.v5);
    if (qos === 0) o.published(done);
    else this.session.add(id, done, o.published(null), this.resumable ? o.buf!.subarray(off, off + size) : null);
    o.flushIfLarge();
  }

  inflight(): number {
    return this.session.pending();
  }

  writable(): boolean {
    return this.state === OPEN && !this.closing && this.output.writable();
  }

  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]> {
    if (this.state !== OPEN || this.closing) return Promise.reject(new Error('not connected'));
    const id = this.session.allocId(this.subs);
    if (id === 0) return Promise.reject(new Error('no free packet id'));
    let packet: Buffer;
    try {
      packet = generate(
        { cmd: 'subscribe', messageId: id, subscriptions: filters.map((f) => ({ topic: f.topic, qos: f.qos })) },
        { protocolVersion: this.opts.protocolVersion },
      );
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.output.append(packet);
    return new Promise<Granted[]>((resolve, reject) => {
      (this.subs ??= new Map()).set(id, { resolve, reject, count: filters.length });
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
    this.endTimer = setTimeout(() => this.destroySocket(), END_FALLBACK_MS);
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

  /** What reached the kernel is settled first (a write cut short counts exactly); the rest fails on close. */
  private destroySocket(): void {
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

  private onPacket(p: Packet): void {
    switch (p.cmd) {
      case 'publish': {
        const qos = p.qos;
        const retain = p.retain === true;
        if (qos === 0) return this.events.onMessage(p.topic, p.payload as Buffer, 0, retain);
        const id = p.messageId!;
        if (qos === 1) {
          this.ack(PUBACK, id);
          return this.events.onMessage(p.topic, p.payload as Buffer, 1, retain);
        }
        // QoS 2: deliver on the first PUBLISH of an id; a resend before PUBREL is a duplicate.
        this.ack(PUBREC, id);
        const seen = (this.q2In ??= new Set());
        if (seen.has(id)) return;
        seen.add(id);
        return this.events.onMessage(p.topic, p.payload as Buffer, 2, retain);
      }
      case 'puback':
        return this.complete(p.messageId!, p.reasonCode ?? 0, 'PUBACK');
      case 'pubrec': {
        const rc = p.reasonCode ?? 0;
        if (rc >= 0x80) return this.complete(p.messageId!, rc, 'PUBREC');
        this.session.received(p.messageId!);
        return this.ack(PUBREL, p.messageId!);
      }
      case 'pubcomp':
        return this.complete(p.messageId!, p.reasonCode ?? 0, 'PUBCOMP');
      case 'pubrel':
        this.q2In?.delete(p.messageId!);
        return this.ack(PUBCOMP, p.messageId!);
      case 'suback':
        return this.onSuback(p.messageId!, p.granted as number[]);
      case 'pingresp':
        return;
      case 'connack':
        this.sessionPresent = p.sessionPresent === true;
        if (p.properties?.receiveMaximum !== undefined) this.receiveMaximum = p.properties.receiveMaximum;
        return this.onConnack(p.returnCode ?? p.reasonCode ?? 0, p.properties?.serverKeepAlive);
      case 'disconnect':
        // MQTT 5: the broker says why before it closes.
        this.lostReason = `broker sent DISCONNECT: ${reasonWords(p.reasonCode ?? 0)}`;
        return;
      default:
        return; // UNSUBACK, AUTH: never asked for
    }
  }

  private complete(id: number, rc: number, what: 'PUBACK' | 'PUBREC' | 'PUBCOMP'): void {
    this.session.complete(id, rc, what);
  }

  private onSuback(id: number, granted: number[]): void {
    const w = this.subs?.get(id);
    if (!w) return;
    this.subs!.delete(id);
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
    if (code !== 0) return this.failAttempt(`CONNACK refused: ${connackWords(this.opts.protocolVersion, code)}`);
    this.attempt = null;
    clearTimeout(this.connectTimer!);
    this.connectTimer = null;
    this.state = OPEN;
    // The session's held publishes go first (session present), or fail (the broker has none).
    const session = this.session;
    session.attach(this.output);
    if (this.sessionPresent) session.resend(this.output);
    else session.end('the broker did not resume the session (CONNACK session present = 0)');
    const ka = serverKeepAlive ?? this.opts.keepaliveSec;
    if (ka > 0) {
      this.kaTimer = setInterval(keepaliveTick, (ka * 1000) / TICKS_PER_PERIOD, this);
      this.kaTimer.unref();
    }
    attempt.resolve(this);
  }

  // ---- keepalive and closing ---------------------------------------------------------------

  /** @internal */
  tick(): void {
    if (this.state !== OPEN) return;
    if (this.pingOut) {
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
      this.pingOut = true;
      this.pingTicks = 0;
      this.output.append(PINGREQ_BYTES);
    }
  }

  private stopKeepalive(): void {
    if (this.kaTimer !== null) clearInterval(this.kaTimer);
    this.kaTimer = null;
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

  private onClose(): void {
    const wasOpen = this.state === OPEN;
    this.state = CLOSED;
    this.stopKeepalive();
    if (this.endTimer !== null) clearTimeout(this.endTimer);
    if (this.attempt) this.failAttempt(this.lastError || 'connection closed before CONNACK');
    else if (wasOpen && !this.closing) {
      this.closing = true;
      this.events.onLost(this.lostReason || this.lastError || closeWords(this.output.ledger));
    }
    // Whatever still waits for an answer will not get one (after onLost, so the device no
    // longer holds this connection when the callbacks run).
    if (this.subs !== null && this.subs.size > 0) {
      const waits = [...this.subs.values()];
      this.subs.clear();
      for (const w of waits) w.reject(new Error('connection closed before SUBACK'));
    }
    // QoS 0 not written yet: NotSent. QoS 1/2: held for the next connect, or failed now.
    this.output.close('the connection closed before it was written');
    this.session.detach(this.output);
    if (!this.resumable) this.session.end('the connection closed (clean session)');
    this.endResolve?.();
  }
}

/**
 * Outputs with bytes this turn. One process.nextTick flushes them all: publishes made in the
 * same callback (a pacer tick, one socket read) leave in one write per connection, with no delay.
 */
let dirty: LeanOutput[] = [];
let spare: LeanOutput[] = [];

function scheduleFlush(c: LeanOutput): void {
  if (dirty.push(c) === 1) process.nextTick(flushDirty);
}

function flushDirty(): void {
  const list = dirty;
  dirty = spare;
  for (let k = 0; k < list.length; k++) list[k].flush();
  list.length = 0;
  spare = list;
}

function keepaliveTick(c: LeanConnection): void {
  c.tick();
}
