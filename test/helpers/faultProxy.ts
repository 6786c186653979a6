import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A fault-injecting TCP proxy for MQTT, used as independent ground truth in tests.
 *
 * It deliberately imports nothing from mqbench's src/ and does not use `mqtt-packet`: the
 * only MQTT knowledge it needs (the fixed header) is parsed here.
 *
 * Each client connection gets its own upstream connection. Client→broker bytes are forwarded
 * unchanged. Broker→client bytes are split into MQTT frames; PUBLISH frames (type 3) are
 * subject to the rules, every other frame is forwarded unchanged (but never overtakes a
 * PUBLISH that is waiting out `delayMs` on the same connection).
 *
 * The rules apply to PUBLISH frames of any QoS, but tests should use QoS 0 deliveries for
 * drop/duplicate/swap: tampering with QoS 1/2 frames breaks the protocol's ack flow (a dropped
 * QoS 1 PUBLISH is never acked, a duplicated one may be acked twice, and so on).
 *
 * Exact semantics (all counted by one global, 1-based PUBLISH counter `n` over the proxy):
 * - drop: `n % dropEvery === 0` → the frame is not forwarded (`dropped`++). Nothing else applies.
 * - duplicate: `n % duplicateEvery === 0` (and not dropped) → the frame is written twice in a
 *   row; `duplicated` counts the extra copies actually written.
 * - swap: `n % swapEvery === 0` (and not dropped) → the frame (with its duplicate, if any) is
 *   held and written right after the next *forwarded* PUBLISH on the same connection;
 *   `swapped` counts frames released that way. A PUBLISH that releases a held frame is never
 *   held itself. If no forwarded PUBLISH arrives within 250 ms (or the broker side closes),
 *   the held frame is released alone and not counted. Non-PUBLISH frames may pass a held one.
 * - delay: with `delayMs > 0` a forwarded PUBLISH is written no earlier than `delayMs` after
 *   its bytes arrived from the broker; per connection the write order is the arrival order
 *   (apart from swaps), so other packet types queue behind delayed PUBLISHes. `delayed` counts
 *   PUBLISH frames written under a delay (a duplicated frame counts once).
 *
 *
 * Acks of the client's own publishes (broker→client PUBACK, PUBREC, PUBCOMP: types 4, 5, 7) have
 * rules of their own; the proxy reads their packet id (the 2 bytes after the fixed header):
 * - holdAcks: an ack of a held type is never forwarded (the client waits for it forever, until a
 *   reconnect re-sends); `acksHeld` counts it and `held()` lists it (client id, type, packet id).
 *   Holding PUBCOMP only lets PUBREC through: the client's QoS 2 flow stops between PUBREC and PUBCOMP.
 * - ackDelayMs: an ack not held is written no earlier than `ackDelayMs` after it arrived; like
 *   `delayMs` it keeps the connection's order (later frames queue behind it); `acksDelayed` counts
 *   the acks written under a delay.
 * - stall: while set, the proxy stops reading client→broker bytes on every connection (new ones
 *   too), so the client's socket send buffer fills up (back-pressure); clearing it resumes reading.
 *
 * Client→broker bytes are forwarded unchanged, but split into frames to count them: `clientPublishes`
 * (PUBLISH frames), `clientDups` (of those, with the DUP flag: re-sends), `clientPubrels` (PUBREL), and the
 * client's answers to the broker's deliveries: `clientPubacks`, `clientPubrecs`, `clientPubcomps`.
 * Connections are known by the client id of their CONNECT (the first client→broker frame; the
 * proxy decodes it and nothing else of what clients send). `kill(clientId?)` closes that client's connections (every
 * connection without an argument) abruptly: both sockets are reset (TCP RST), nothing queued is
 * delivered, the broker sees the client vanish without DISCONNECT (its session and will stay as for
 * a network failure). `killed` counts connections killed that way.
 *
 * `counts()` reports what was actually done: `dropped` and `acksHeld` at the decision, `duplicated`,
 * `swapped`, `delayed` and `acksDelayed` when the frame is written to the client socket. Frames
 * still queued when a client disconnects (or `close()` is called) are discarded and not counted.
 * `setRules()` replaces all rules (omitted fields become 0 / false) and affects frames arriving after it.
 */

export interface FaultRules {
  /** Drop every Nth broker→client PUBLISH (counted over the whole proxy, 1-based: the Nth, 2Nth, …). 0 = never. */
  dropEvery?: number;
  /** Send every Nth broker→client PUBLISH twice (skip frames that were dropped). 0 = never. */
  duplicateEvery?: number;
  /** Hold every Nth broker→client PUBLISH and send it right AFTER the next PUBLISH on the same connection (a swap). If no next PUBLISH arrives within 250 ms, release it alone (not counted as a swap). 0 = never. */
  swapEvery?: number;
  /** Delay every broker→client PUBLISH by this many ms (per connection, order preserved; other packet types are queued behind delayed PUBLISHes on that connection so order is never changed). 0 = none. */
  delayMs?: number;
  /** Delay every broker→client PUBACK/PUBREC/PUBCOMP (acks of the client's publishes) by this many ms (order preserved). 0 = none. */
  ackDelayMs?: number;
  /** Never forward these broker→client acks (true = all three); counted in `acksHeld`, listed by `held()`. */
  holdAcks?: boolean | readonly AckName[];
  /** Stop reading from every client (its send buffer fills up) until the rules are replaced without it. */
  stall?: boolean;
}

/** The acks the broker sends for the client's own QoS 1/2 publishes. */
export type AckName = 'puback' | 'pubrec' | 'pubcomp';

export interface HeldAck {
  clientId: string;
  type: AckName;
  id: number;
}

export interface FaultCounts {
  publishes: number;
  dropped: number;
  duplicated: number;
  swapped: number;
  delayed: number;
  connections: number;
  /** Broker→client acks not forwarded (holdAcks). */
  acksHeld: number;
  /** Broker→client acks written late (ackDelayMs). */
  acksDelayed: number;
  /** Connections closed by kill(). */
  killed: number;
  /** Client→broker PUBLISH frames, those of them with DUP = 1, and PUBREL frames. */
  clientPublishes: number;
  clientDups: number;
  clientPubrels: number;
  /** Client→broker PUBACK, PUBREC and PUBCOMP frames (the client's answers to QoS 1/2 deliveries). */
  clientPubacks: number;
  clientPubrecs: number;
  clientPubcomps: number;
}

export interface FaultProxy {
  /** mqtt://127.0.0.1:<port> of the proxy */
  url: string;
  port: number;
  /** Exact numbers of what the proxy did (a copy). */
  counts(): FaultCounts;
  /** Change rules at any time (e.g. to start faults after warm-up). Replaces all rules. */
  setRules(r: FaultRules): void;
  /** The acks held back so far (holdAcks), in the order they arrived (a copy). */
  held(): HeldAck[];
  /** Client ids of the open connections, in the order they connected (before CONNECT: ''). */
  clients(): string[];
  /** Resets the connections of this client id (all connections without one); returns how many. */
  kill(clientId?: string): number;
  close(): Promise<void>;
}

/** How long a swap-held PUBLISH waits for a following PUBLISH before it is released alone. */
export const SWAP_HOLD_MS = 250;

const PUBLISH = 3;
const PUBREL = 6;
const PUBACK = 4;
const PUBREC = 5;
const PUBCOMP = 7;
const ACK_NAMES: Record<number, AckName> = { 4: 'puback', 5: 'pubrec', 7: 'pubcomp' };

// ---------------------------------------------------------------------------------------------
// Frame splitting
// ---------------------------------------------------------------------------------------------

/** Thrown for a fixed header whose remaining length does not end within 4 bytes. */
export class MalformedFrameError extends Error {}

/**
 * Decodes a fixed header starting at `offset`.
 * Returns the header length (1 + length bytes) and the whole frame length, or `null` if the
 * bytes available do not contain the complete header yet.
 */
export function decodeFixedHeader(buf: Buffer, offset = 0): { headerLength: number; frameLength: number } | null {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 4; i++) {
    const pos = offset + 1 + i;
    if (pos >= buf.length) return null;
    const byte = buf[pos];
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) {
      const headerLength = 2 + i;
      return { headerLength, frameLength: headerLength + value };
    }
    multiplier *= 128;
  }
  throw new MalformedFrameError('MQTT remaining length longer than 4 bytes');
}

/** MQTT control packet type of a frame: the high nibble of its first byte. */
export function packetType(frame: Buffer): number {
  return frame[0] >> 4;
}

/** The packet id of an ack frame (PUBACK, PUBREC, PUBREL, PUBCOMP): the 2 bytes after its fixed header. */
export function ackId(frame: Buffer): number {
  const h = decodeFixedHeader(frame);
  if (!h || h.frameLength < h.headerLength + 2) return -1;
  return frame.readUInt16BE(h.headerLength);
}

/**
 * The client id of a CONNECT frame (MQTT 3.1, 3.1.1 and 5), or undefined if it is not a well-formed
 * CONNECT: protocol name, level, flags, keepalive, (MQTT 5: properties,) then the client id string.
 */
export function connectClientId(frame: Buffer): string | undefined {
  if (packetType(frame) !== 1) return undefined;
  const h = decodeFixedHeader(frame);
  if (!h) return undefined;
  let p = h.headerLength;
  const need = (n: number): boolean => p + n <= frame.length;
  if (!need(2)) return undefined;
  p += 2 + frame.readUInt16BE(p); // protocol name
  if (!need(4)) return undefined;
  const level = frame[p];
  p += 4; // level, flags, keepalive
  if (level === 5) {
    let len = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (i === 4 || !need(1)) return undefined;
      const b = frame[p++];
      len += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) break;
    }
    p += len;
  }
  if (!need(2)) return undefined;
  const n = frame.readUInt16BE(p);
  p += 2;
  if (!need(n)) return undefined;
  return frame.toString('utf8', p, p + n);
}

/**
 * Incremental MQTT frame splitter: feed it TCP chunks of any size, get whole frames back.
 * Every byte is copied at most once (frames wholly inside one chunk are returned as views of
 * that chunk, so callers must not reuse chunk buffers they pushed).
 */
export class FrameSplitter {
  private readonly header = Buffer.alloc(5);
  private headerFill = 0;
  private frame: Buffer | null = null;
  private frameFill = 0;

  /** Bytes held for an incomplete frame. */
  get pending(): number {
    return this.frame ? this.frameFill : this.headerFill;
  }

  /** Splits `chunk` (continuing any partial frame); throws MalformedFrameError on a bad header. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.frame) {
        const n = Math.min(this.frame.length - this.frameFill, chunk.length - i);
        chunk.copy(this.frame, this.frameFill, i, i + n);
        this.frameFill += n;
        i += n;
        if (this.frameFill === this.frame.length) {
          out.push(this.frame);
          this.frame = null;
          this.frameFill = 0;
        }
        continue;
      }
      if (this.headerFill === 0) {
        // Fast path: a whole frame inside this chunk.
        const h = decodeFixedHeader(chunk, i);
        if (h && i + h.frameLength <= chunk.length) {
          out.push(chunk.subarray(i, i + h.frameLength));
          i += h.frameLength;
          continue;
        }
      }
      // Slow path: collect the header byte by byte, then allocate the frame.
      this.header[this.headerFill++] = chunk[i++];
      const h = decodeFixedHeader(this.header.subarray(0, this.headerFill));
      if (!h) continue;
      const frame = Buffer.allocUnsafe(h.frameLength);
      this.header.copy(frame, 0, 0, h.headerLength);
      this.headerFill = 0;
      if (h.frameLength === h.headerLength) {
        out.push(frame);
      } else {
        this.frame = frame;
        this.frameFill = h.headerLength;
      }
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Proxy
// ---------------------------------------------------------------------------------------------

interface NormalizedRules {
  dropEvery: number;
  duplicateEvery: number;
  swapEvery: number;
  delayMs: number;
  ackDelayMs: number;
  holdAcks: ReadonlySet<AckName>;
  stall: boolean;
}

function normalizeRules(r: FaultRules = {}): NormalizedRules {
  const every = (name: string, v: number | undefined): number => {
    const x = v ?? 0;
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
    return x;
  };
  const ms = (name: string, v: number | undefined): number => {
    const x = v ?? 0;
    if (!Number.isFinite(x) || x < 0) throw new RangeError(`${name} must be a non-negative number, got ${v}`);
    return x;
  };
  const hold = r.holdAcks === true ? (['puback', 'pubrec', 'pubcomp'] as const) : r.holdAcks || [];
  for (const a of hold) if (!Object.values(ACK_NAMES).includes(a)) throw new RangeError(`holdAcks: unknown ack "${a}"`);
  return {
    dropEvery: every('dropEvery', r.dropEvery),
    duplicateEvery: every('duplicateEvery', r.duplicateEvery),
    swapEvery: every('swapEvery', r.swapEvery),
    delayMs: ms('delayMs', r.delayMs),
    ackDelayMs: ms('ackDelayMs', r.ackDelayMs),
    holdAcks: new Set(hold),
    stall: r.stall === true,
  };
}

const hits = (every: number, n: number): boolean => every > 0 && n % every === 0;

interface OutItem {
  frame: Buffer;
  /** performance.now() time before which the frame must not be written (0 = no constraint). */
  releaseAt: number;
  countDelayed?: boolean;
  countAckDelayed?: boolean;
  countDuplicated?: boolean;
  countSwapped?: boolean;
}

interface Held {
  items: OutItem[];
  timer: NodeJS.Timeout;
}

/** One proxied connection, as the proxy-wide operations (kill, stall) see it. */
interface Conn {
  clientId: string;
  kill(): void;
  stall(on: boolean): void;
}

/** Ends a socket after its pending writes are flushed; destroys it if that takes too long. */
function endGracefully(s: Socket): void {
  if (s.destroyed) return;
  const t = setTimeout(() => s.destroy(), 2000);
  t.unref();
  s.once('close', () => clearTimeout(t));
  s.end(() => s.destroy());
}

/** Every count at zero: what a fresh proxy reports (tests spread it and set the counts they expect). */
export function noFaultCounts(): FaultCounts {
  return {
    publishes: 0,
    dropped: 0,
    duplicated: 0,
    swapped: 0,
    delayed: 0,
    connections: 0,
    acksHeld: 0,
    acksDelayed: 0,
    killed: 0,
    clientPublishes: 0,
    clientDups: 0,
    clientPubrels: 0,
    clientPubacks: 0,
    clientPubrecs: 0,
    clientPubcomps: 0,
  };
}

export async function startFaultProxy(upstream: { host: string; port: number }, rules?: FaultRules): Promise<FaultProxy> {
  let current = normalizeRules(rules);
  const counts = noFaultCounts();
  const heldAcks: HeldAck[] = [];
  const conns = new Set<Conn>();
  const teardowns = new Set<() => void>();
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const handle = (client: Socket): void => {
    counts.connections++;
    const broker = connect({ host: upstream.host, port: upstream.port });
    track(client);
    track(broker);
    client.setNoDelay(true);
    broker.setNoDelay(true);

    const splitter = new FrameSplitter();
    let queue: OutItem[] = [];
    let qHead = 0;
    let queueTimer: NodeJS.Timeout | null = null;
    let queueImmediate: NodeJS.Immediate | null = null;
    let held: Held | null = null;
    let brokerGone = false;
    let clientGone = false;
    let brokerPaused = false;
    let clientPaused = false;
    let clientEnding = false;

    const clearTimers = (): void => {
      if (queueTimer) clearTimeout(queueTimer);
      queueTimer = null;
      if (queueImmediate) clearImmediate(queueImmediate);
      queueImmediate = null;
      if (held) clearTimeout(held.timer);
      held = null;
      queue = [];
      qHead = 0;
    };

    const teardown = (): void => {
      clientGone = true;
      brokerGone = true;
      clearTimers();
      client.destroy();
      broker.destroy();
    };
    teardowns.add(teardown);

    // Client bytes also go through a splitter: the CONNECT's client id, PUBLISH/DUP/PUBREL counts.
    let clientSplitter: FrameSplitter | null = new FrameSplitter();
    let connected = false;
    let stalled = false;
    const conn: Conn = {
      clientId: '',
      kill: () => {
        if (clientGone && brokerGone) return;
        counts.killed++;
        clientGone = true;
        brokerGone = true;
        clearTimers();
        client.resetAndDestroy();
        broker.resetAndDestroy();
      },
      stall: (on) => {
        stalled = on;
        if (on) client.pause();
        else if (!clientPaused) client.resume();
      },
    };
    conns.add(conn);
    if (current.stall) conn.stall(true);

    const write = (it: OutItem): void => {
      if (client.destroyed || !client.writable) return;
      if (it.countDelayed) counts.delayed++;
      if (it.countAckDelayed) counts.acksDelayed++;
      if (it.countDuplicated) counts.duplicated++;
      if (it.countSwapped) counts.swapped++;
      if (!client.write(it.frame) && !brokerPaused && !broker.destroyed) {
        brokerPaused = true;
        broker.pause();
        client.once('drain', () => {
          brokerPaused = false;
          broker.resume();
        });
      }
    };

    // Millisecond timers fire up to ~1 ms late (or a fraction early): sleep for the whole
    // milliseconds with a timer, then poll the sub-millisecond rest with setImmediate (which
    // does not block I/O) so a delayed frame goes out promptly but never before its time.
    const scheduleAt = (waitMs: number): void => {
      const whole = Math.floor(waitMs);
      if (whole >= 1) {
        queueTimer = setTimeout(() => {
          queueTimer = null;
          pump();
        }, whole);
      } else {
        queueImmediate = setImmediate(() => {
          queueImmediate = null;
          pump();
        });
      }
    };
    const waiting = (): boolean => queueTimer !== null || queueImmediate !== null;

    const pump = (): void => {
      if (clientGone) return;
      const now = performance.now();
      while (qHead < queue.length) {
        const it = queue[qHead];
        if (it.releaseAt > now) {
          scheduleAt(it.releaseAt - now);
          return;
        }
        qHead++;
        write(it);
      }
      queue = [];
      qHead = 0;
      if (brokerGone && !held && !clientEnding) {
        clientEnding = true;
        endGracefully(client);
      }
    };

    const enqueue = (items: OutItem[]): void => {
      for (const it of items) queue.push(it);
    };

    const releaseHeldAlone = (): void => {
      if (!held) return;
      clearTimeout(held.timer);
      enqueue(held.items);
      held = null;
      if (!waiting()) pump();
    };

    const onBrokerData = (chunk: Buffer): void => {
      const now = performance.now();
      let frames: Buffer[];
      try {
        frames = splitter.push(chunk);
      } catch {
        teardown();
        return;
      }
      for (const frame of frames) {
        const type = packetType(frame);
        const ack = ACK_NAMES[type];
        if (ack !== undefined) {
          const r = current;
          if (r.holdAcks.has(ack)) {
            counts.acksHeld++;
            heldAcks.push({ clientId: conn.clientId, type: ack, id: ackId(frame) });
          } else {
            queue.push({ frame, releaseAt: r.ackDelayMs > 0 ? now + r.ackDelayMs : 0, countAckDelayed: r.ackDelayMs > 0 });
          }
          continue;
        }
        if (type !== PUBLISH) {
          queue.push({ frame, releaseAt: 0 });
          continue;
        }
        const n = ++counts.publishes;
        const r = current;
        if (hits(r.dropEvery, n)) {
          counts.dropped++;
          continue;
        }
        const delayed = r.delayMs > 0;
        const releaseAt = delayed ? now + r.delayMs : 0;
        const items: OutItem[] = [{ frame, releaseAt, countDelayed: delayed }];
        if (hits(r.duplicateEvery, n)) items.push({ frame, releaseAt, countDuplicated: true });
        if (held) {
          // This PUBLISH completes a swap: it goes first, the held one right after it.
          clearTimeout(held.timer);
          held.items[0].countSwapped = true;
          enqueue(items);
          enqueue(held.items);
          held = null;
        } else if (hits(r.swapEvery, n)) {
          held = { items, timer: setTimeout(releaseHeldAlone, SWAP_HOLD_MS) };
        } else {
          enqueue(items);
        }
      }
      if (!waiting()) pump();
    };

    broker.on('data', onBrokerData);
    client.on('data', (chunk: Buffer) => {
      if (broker.destroyed) return;
      if (clientSplitter) {
        let frames: Buffer[] = [];
        try {
          frames = clientSplitter.push(chunk);
        } catch {
          clientSplitter = null; // not MQTT: forwarded, not counted
        }
        for (const f of frames) {
          if (!connected) {
            conn.clientId = connectClientId(f) ?? '';
            connected = true;
          }
          const t = packetType(f);
          if (t === PUBLISH) {
            counts.clientPublishes++;
            if ((f[0] & 0x08) !== 0) counts.clientDups++;
          } else if (t === PUBREL) counts.clientPubrels++;
          else if (t === PUBACK) counts.clientPubacks++;
          else if (t === PUBREC) counts.clientPubrecs++;
          else if (t === PUBCOMP) counts.clientPubcomps++;
        }
      }
      if (!broker.write(chunk) && !clientPaused) {
        clientPaused = true;
        client.pause();
        broker.once('drain', () => {
          clientPaused = false;
          if (!stalled) client.resume();
        });
      }
    });

    client.on('error', () => {});
    broker.on('error', () => {});

    client.on('close', (hadError) => {
      clientGone = true;
      conns.delete(conn);
      teardowns.delete(teardown);
      clearTimers();
      if (hadError) broker.destroy();
      else endGracefully(broker);
    });
    broker.on('close', (hadError) => {
      if (brokerGone) return;
      brokerGone = true;
      if (hadError || clientGone) {
        clearTimers();
        client.destroy();
        return;
      }
      // Clean close: deliver what is still queued (a held frame goes out alone), then end.
      releaseHeldAlone();
      if (!waiting()) pump();
    });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    counts: () => ({ ...counts }),
    setRules: (r) => {
      const was = current.stall;
      current = normalizeRules(r);
      if (current.stall !== was) for (const c of conns) c.stall(current.stall);
    },
    held: () => heldAcks.map((h) => ({ ...h })),
    clients: () => [...conns].map((c) => c.clientId),
    kill: (clientId) => {
      let n = 0;
      for (const c of [...conns]) {
        if (clientId !== undefined && c.clientId !== clientId) continue;
        conns.delete(c);
        c.kill();
        n++;
      }
      return n;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const t of [...teardowns]) t();
      teardowns.clear();
      for (const s of [...sockets]) s.destroy();
      sockets.clear();
      await closed;
    },
  };
}
