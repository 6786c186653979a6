import { isIP, connect as netConnect, type Socket } from 'node:net';
import { DEFAULT_PORTS } from './probe.js';
import { urlCredentials } from '../shared/urlCredentials.js';
import { connect as tlsConnect } from 'node:tls';
import { generate, parser as makeParser, type Packet, type Parser } from 'mqtt-packet';
import type { QoS } from '../scenario/types.js';
import { connackWords, reasonWords } from './leanCodes.js';
import {
  asciiLength, DISCONNECT_BYTES, frameSize, MAX_REMAINING, PINGREQ_BYTES, PUBACK, PUBCOMP, PUBREC, PUBREL, publishRemaining, writeAck, writePublish,
} from './leanEncode.js';
import { ConnectFailure, type Connection, type ConnectionEvents, type ConnectOptions, type Driver, type Granted, type PublishDone } from './types.js';

/**
 * The lean driver: MQTT 3.1.1 and 5 over plain `node:net` / `node:tls` sockets, with mqtt-packet
 * as the codec. What it keeps per connection is a socket, a parser and a few numbers; a message
 * costs one encode into the connection's per-turn output buffer (one socket write per
 * event-loop turn), plus a map entry for QoS 1/2 until its ack.
 *
 * Not supported (use `driver: mqttjs`): WebSocket, MQTT 5 topic aliases / AUTH, retransmission
 * of unacknowledged messages after a reconnect.
 */
export const leanDriver: Driver = {
  name: 'lean',
  connect(opts, events) {
    return new Promise<Connection>((resolve, reject) => {
      const ep = parseEndpoint(opts.url);
      if (typeof ep === 'string') return reject(new ConnectFailure(ep));
      const o = ep.username !== undefined && opts.username === undefined ? { ...opts, username: ep.username, password: opts.password ?? ep.password } : opts;
      let connectPacket: Buffer;
      try {
        connectPacket = generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: o.protocolVersion,
          clientId: o.clientId,
          clean: o.clean,
          keepalive: o.keepaliveSec,
          username: o.username,
          password: o.password === undefined ? undefined : Buffer.from(o.password, 'utf8'),
          ...(o.protocolVersion === 5 && o.sessionExpirySec !== undefined ? { properties: { sessionExpiryInterval: o.sessionExpirySec } } : {}),
        });
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
  /** We ended or destroyed it (or the attempt failed): never report it lost. */
  private closing = false;
  /** end() was called: pending publishes are left alone, as mqtt.js's end(false) does. */
  private graceful = false;
  private readonly v5: boolean;
  private readonly parser: Parser;

  // Output: one buffer per event-loop turn, written once on process.nextTick.
  private out: Buffer | null = null;
  private outLen = 0;
  private outHint = 256;

  // Outgoing QoS 1/2 publishes and SUBSCRIBEs, by packet id.
  private nextId = 1;
  private readonly pending = new Map<number, Done>();
  private inflightCount = 0;
  private subs: Map<number, SubWait> | null = null;
  /** Incoming QoS 2 ids delivered and not yet released (PUBREL). */
  private q2In: Set<number> | null = null;

  // The last topic published, and its bytes once it was used twice.
  private topicStr = '';
  private topicBuf: Buffer | null = null;

  // Keepalive.
  private kaTimer: NodeJS.Timeout | null = null;
  private sentSinceTick = false;
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
    this.attempt = { resolve, reject };
    this.parser = makeParser({ protocolVersion: opts.protocolVersion });
    this.parser.on('packet', (p: Packet) => this.onPacket(p));
    this.parser.on('error', (err: Error) => {
      this.lostReason = `protocol error: ${err.message}`;
      if (this.attempt) this.failAttempt(this.lostReason);
      else this.sock.destroy();
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
    this.connectTimer = setTimeout(() => this.failAttempt(`timeout: no CONNACK within ${opts.timeoutMs} ms`), opts.timeoutMs);
    this.append(connectPacket);
  }

  // ---- Connection ------------------------------------------------------------------------

  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: Done): void {
    if (this.state !== OPEN || this.closing) return done(new Error('not connected'));
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
    if (rem > MAX_REMAINING || tl > 0xffff) return done(new Error('message too large for MQTT'));
    let id = 0;
    if (qos > 0) {
      id = this.allocId();
      if (id === 0) return done(new Error('no free packet id: 65,535 messages in flight'));
    }
    const off = this.reserve(frameSize(rem));
    writePublish(this.out!, off, rem, tb, payload, qos, retain, id, this.v5);
    if (qos === 0) return done();
    this.pending.set(id, done);
    this.inflightCount++;
  }

  inflight(): number {
    return this.inflightCount;
  }

  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]> {
    if (this.state !== OPEN || this.closing) return Promise.reject(new Error('not connected'));
    const id = this.allocId();
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
    this.append(packet);
    return new Promise<Granted[]>((resolve, reject) => {
      (this.subs ??= new Map()).set(id, { resolve, reject, count: filters.length });
    });
  }

  end(): Promise<void> {
    if (this.endPromise) return this.endPromise;
    if (this.state === CLOSED) return Promise.resolve();
    this.closing = true;
    this.graceful = true;
    this.stopKeepalive();
    this.endPromise = new Promise<void>((resolve) => {
      this.endResolve = resolve;
    });
    this.endTimer = setTimeout(() => this.sock.destroy(), END_FALLBACK_MS);
    this.append(DISCONNECT_BYTES);
    this.flush();
    this.sock.end();
    return this.endPromise;
  }

  destroy(): void {
    this.closing = true;
    this.stopKeepalive();
    this.out = null;
    this.sock.destroy();
  }

  // ---- output ------------------------------------------------------------------------------

  /** Room for n bytes in this turn's output buffer; returns their offset in `this.out`. */
  private reserve(n: number): number {
    let b = this.out;
    const len = this.outLen;
    if (b === null) {
      this.out = Buffer.allocUnsafe(n > this.outHint ? n : this.outHint);
      this.outLen = n;
      scheduleFlush(this);
      return 0;
    }
    if (len + n > b.length) {
      const grown = Buffer.allocUnsafe(Math.max(b.length * 2, len + n));
      grown.set(b.subarray(0, len), 0);
      this.out = b = grown;
    }
    this.outLen = len + n;
    return len;
  }

  private append(bytes: Buffer): void {
    const off = this.reserve(bytes.length);
    this.out!.set(bytes, off);
  }

  private ack(type: number, id: number): void {
    const off = this.reserve(4);
    writeAck(this.out!, off, type, id);
  }

  /** @internal Writes what this turn produced: one socket write. */
  flush(): void {
    const b = this.out;
    if (b === null) return;
    const len = this.outLen;
    this.out = null;
    this.outLen = 0;
    const s = this.sock;
    if (this.state === CLOSED || s.destroyed || s.writableEnded) return;
    this.outHint = len < 64 ? 64 : len > 65536 ? 65536 : len;
    s.write(len === b.length ? b : b.subarray(0, len));
    this.sentSinceTick = true;
  }

  /** 1..65535, cycling, skipping ids still waiting for an ack; 0 when all are taken. */
  private allocId(): number {
    const pending = this.pending;
    const subs = this.subs;
    for (let n = 0; n < 65535; n++) {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      if (!pending.has(id) && (subs === null || !subs.has(id))) return id;
    }
    return 0;
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
        return this.onConnack(p.returnCode ?? p.reasonCode ?? 0, p.properties?.serverKeepAlive);
      case 'disconnect':
        // MQTT 5: the broker says why before it closes.
        this.lostReason = `broker sent DISCONNECT: ${reasonWords(p.reasonCode ?? 0)}`;
        return;
      default:
        return; // UNSUBACK, AUTH: never asked for
    }
  }

  private complete(id: number, rc: number, what: string): void {
    const done = this.pending.get(id);
    if (done === undefined) return;
    this.pending.delete(id);
    this.inflightCount--;
    if (rc >= 0x80) done(new Error(`${what}: ${reasonWords(rc)}`));
    else done(undefined, what === 'PUBCOMP' ? 'pubcomp' : 'puback');
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
        this.sock.destroy();
      }
      return;
    }
    if (this.sentSinceTick) {
      this.sentSinceTick = false;
      this.idleTicks = 0;
      return;
    }
    if (++this.idleTicks >= PING_AFTER_IDLE_TICKS) {
      this.idleTicks = 0;
      this.pingOut = true;
      this.pingTicks = 0;
      this.append(PINGREQ_BYTES);
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
    this.out = null;
    this.sock.destroy();
    attempt.reject(new ConnectFailure(reason));
  }

  private onClose(): void {
    const wasOpen = this.state === OPEN;
    this.state = CLOSED;
    this.out = null;
    this.stopKeepalive();
    if (this.endTimer !== null) clearTimeout(this.endTimer);
    if (this.attempt) this.failAttempt(this.lastError || 'connection closed before CONNACK');
    else if (wasOpen && !this.closing) {
      this.closing = true;
      this.events.onLost(this.lostReason || this.lastError || 'closed by the broker or network');
    }
    // Whatever still waits for an answer will not get one (after onLost, so the device no
    // longer holds this connection when the callbacks run).
    if (this.subs !== null && this.subs.size > 0) {
      const waits = [...this.subs.values()];
      this.subs.clear();
      for (const w of waits) w.reject(new Error('connection closed before SUBACK'));
    }
    if (!this.graceful && this.pending.size > 0) {
      const dones = [...this.pending.values()];
      this.pending.clear();
      this.inflightCount = 0;
      const err = new Error('connection closed before the ack');
      for (const d of dones) d(err);
    }
    this.endResolve?.();
  }
}

/**
 * Connections with output this turn. One process.nextTick flushes them all: publishes made in the
 * same callback (a pacer tick, one socket read) leave in one write per connection, with no delay.
 */
let dirty: LeanConnection[] = [];
let spare: LeanConnection[] = [];

function scheduleFlush(c: LeanConnection): void {
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
