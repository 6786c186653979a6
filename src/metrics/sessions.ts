/**
 * Entitlement follows the session. A subscriber with a persistent session (clean: false) stays a
 * receiver while it is away: its broker keeps the session and queues for it, so publishers count
 * deliveries to it. Whether it was entitled to them is known only when it comes back:
 *   - CONNACK session present = 1: the session survived; what was queued is owed (QoS 1/2),
 *   - session present = 0 (MQTT 5 session expired, broker restarted without persistence, …): the
 *     session ended and took the queue with it: those deliveries are "not entitled", never lost,
 *   - still away when the run ends: a surviving session's queue was never delivered within the run:
 *     "away at end" (not lost); if its MQTT 5 session expiry has passed by then, "not entitled".
 * QoS 0 deliveries to an away session are never owed (a session holds QoS 0 messages only optionally,
 * MQTT 3.1.1 §3.1.2.4, MQTT 5 §4.1; mosquitto keeps none by default): always "not entitled".
 *
 * The SessionBoard is shared memory (one record per subscription slot) written by the subscriber's
 * thread; an AwayLog in each publishing thread notes the deliveries its publishers counted for away
 * slots, by episode, QoS class and intended second, and once an episode's outcome is known moves them
 * out of `expected` (summary, per QoS and per intended second) into `notEntitled` or `awayAtEnd`.
 */
import type { Recorder } from './recorder.js';
import { qosKey, type Counters, type QosClass } from './counterFields.js';

const FIELDS = 3;
const AWAY = 0; // episode number while away (0: present)
const RESOLVED = 1; // last episode that ended with the client back
const ENDED = 2; // bit (episode mod 32) set: that episode's session had ended
/** Per slot: the session's expiry (Float64, epoch ms) and the Int32 fields above. */
const SLOT_BYTES = 8 + FIELDS * 4;

export class SessionBoard {
  readonly slots: number;
  private readonly ints: Int32Array;
  private readonly expires: Float64Array;

  /** A board for `slots` subscription slots, or a view of another thread's board (its buffer). */
  constructor(slotsOrBuffer: number | SharedArrayBuffer | ArrayBuffer) {
    const buffer = typeof slotsOrBuffer === 'number' ? new SharedArrayBuffer(SessionBoard.bytes(slotsOrBuffer)) : slotsOrBuffer;
    this.buffer = buffer;
    this.slots = Math.floor(buffer.byteLength / SLOT_BYTES);
    this.expires = new Float64Array(buffer, 0, this.slots);
    this.ints = new Int32Array(buffer, this.slots * 8, this.slots * FIELDS);
  }

  readonly buffer: SharedArrayBuffer | ArrayBuffer;

  static bytes(slots: number): number {
    return Math.max(SLOT_BYTES, slots * SLOT_BYTES);
  }

  /** The client holding slots [slot, slot + count) went away; its session lasts until `expiresAt` (epoch ms). */
  leave(slot: number, count: number, expiresAt: number): void {
    for (let s = slot; s < slot + count; s++) {
      const i = s * FIELDS;
      if (Atomics.load(this.ints, i + AWAY) !== 0) continue;
      this.expires[s] = expiresAt;
      Atomics.store(this.ints, i + AWAY, Atomics.load(this.ints, i + RESOLVED) + 1);
    }
  }

  /** The client is back: `kept` is CONNACK's session-present flag. */
  back(slot: number, count: number, kept: boolean): void {
    for (let s = slot; s < slot + count; s++) {
      const i = s * FIELDS;
      const ep = Atomics.load(this.ints, i + AWAY);
      if (ep === 0) continue;
      const bit = 1 << (ep & 31);
      if (kept) Atomics.and(this.ints, i + ENDED, ~bit);
      else Atomics.or(this.ints, i + ENDED, bit);
      Atomics.store(this.ints, i + RESOLVED, ep);
      Atomics.store(this.ints, i + AWAY, 0);
    }
  }

  /** The away episode of a slot, or 0 when its client is present. */
  episode(slot: number): number {
    return this.ints[slot * FIELDS + AWAY];
  }

  /** How episode `ep` of a slot ended: 'kept', 'ended', or 'open' (still away). */
  outcome(slot: number, ep: number): 'kept' | 'ended' | 'open' {
    const i = slot * FIELDS;
    if (Atomics.load(this.ints, i + RESOLVED) < ep) return 'open';
    return (Atomics.load(this.ints, i + ENDED) >>> (ep & 31)) & 1 ? 'ended' : 'kept';
  }

  expiresAt(slot: number): number {
    return this.expires[slot];
  }
}

/**
 * The hook SubscriptionIndex calls for each client delivery it counts (slot chosen, delivery QoS class),
 * and the publisher once it has counted a message's expected deliveries (its intended time).
 */
export interface AwayNotes {
  note(slot: number, q: number): void;
  settle(dueMs: number, measured: boolean): void;
}

interface Episode {
  slot: number;
  ep: number;
  /** Per delivery QoS class: all deliveries noted, and those of measured messages. */
  all: [number, number, number];
  measured: [number, number, number];
  /** Measured deliveries by intended second and class (key: second × 3 + class). */
  seconds: Map<number, number>;
}

type Outcome = 'notEntitled' | 'awayAtEnd';

/** One publishing thread's notes of deliveries counted for away sessions, until their outcome is known. */
export class AwayLog implements AwayNotes {
  /** Measured deliveries moved out of `expected` so far (drain progress). */
  settledMeasured = 0;
  private pendingSlot: number[] = [];
  private pendingQ: number[] = [];
  private pendingEp: number[] = [];
  private log = new Map<number, Episode>();

  constructor(
    private readonly board: SessionBoard,
    private readonly recorder: Recorder,
  ) {}

  note(slot: number, q: number): void {
    const ep = this.board.episode(slot);
    if (ep === 0) return;
    this.pendingSlot.push(slot);
    this.pendingQ.push(q);
    this.pendingEp.push(ep);
  }

  /** After counting a message's expected deliveries: files the notes taken for it. */
  settle(dueMs: number, measured: boolean): void {
    const n = this.pendingSlot.length;
    if (n === 0) return;
    const second = Math.floor((dueMs - this.recorder.t0) / 1000);
    for (let k = 0; k < n; k++) {
      const slot = this.pendingSlot[k];
      const ep = this.pendingEp[k];
      const q = this.pendingQ[k];
      const key = slot * 32 + (ep & 31);
      let e = this.log.get(key);
      if (e === undefined) {
        e = { slot, ep, all: [0, 0, 0], measured: [0, 0, 0], seconds: new Map() };
        this.log.set(key, e);
      }
      e.all[q]++;
      if (measured) {
        e.measured[q]++;
        const sk = second * 3 + q;
        e.seconds.set(sk, (e.seconds.get(sk) ?? 0) + 1);
      }
    }
    this.pendingSlot.length = this.pendingQ.length = this.pendingEp.length = 0;
  }

  /** Applies every known outcome; `final` (end of run): episodes still open end as away (or expired). */
  resolve(now: number, final: boolean): void {
    for (const [key, e] of this.log) {
      let o = this.board.outcome(e.slot, e.ep);
      if (o === 'open') {
        if (!final) continue;
        o = now >= this.board.expiresAt(e.slot) ? 'ended' : 'kept';
        if (o === 'kept') this.move(e, [1, 2], 'awayAtEnd');
      }
      if (o === 'ended') this.move(e, [1, 2], 'notEntitled');
      this.move(e, [0], 'notEntitled');
      this.log.delete(key);
    }
  }

  /** Moves the deliveries of classes `qs` of an episode out of expected into `to`. */
  private move(e: Episode, qs: QosClass[], to: Outcome): void {
    const rec = this.recorder;
    let moved = 0;
    let movedAll = 0;
    for (const q of qs) {
      const m = e.measured[q];
      const a = e.all[q];
      if (a === 0) continue;
      rec.count(to, true, m);
      rec.count(to, false, a - m);
      rec.count(qosKey(q, to === 'notEntitled' ? 'NotEntitled' : 'AwayAtEnd'), true, m);
      rec.count(qosKey(q, to === 'notEntitled' ? 'NotEntitled' : 'AwayAtEnd'), false, a - m);
      measuredOnly(rec, 'expected', -m);
      measuredOnly(rec, qosKey(q, 'Expected'), -m);
      moved += m;
      movedAll += a;
    }
    if (movedAll === 0) return;
    this.settledMeasured += moved;
    // Per intended second (exact loss per second), for the classes moved.
    for (const [sk, n] of e.seconds) {
      const q = sk - 3 * Math.floor(sk / 3);
      if (!qs.includes(q as QosClass)) continue;
      rec.intendedSecond(rec.t0 + Math.floor(sk / 3) * 1000 + 500, -n, 0);
      e.seconds.delete(sk);
    }
  }
}

/** Changes a summary (measured) counter without touching the per-second series of everything sent. */
function measuredOnly(rec: Recorder, key: keyof Counters, n: number): void {
  if (n === 0) return;
  rec.count(key, true, n);
  rec.count(key, false, -n);
}
