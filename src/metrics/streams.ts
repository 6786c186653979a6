/**
 * The receive-side delivery ledger of one subscribing client: one stream per publisher, exact over the
 * whole run (see SeqSet), telling each delivery apart as
 *   new / outOfOrder  the first copy the client was owed (a new sequence number below the highest seen
 *                     is out of order),
 *   extra             a further copy MQTT allows: a client whose overlapping subscriptions match a topic
 *                     may get one copy per subscription (MQTT 3.1.1 §3.3.5, MQTT 5 §3.3.4; mosquitto does
 *                     so under MQTT 5), each at that subscription's QoS,
 *   duplicate         a copy beyond that, or a second delivery of a message to a `$share` group,
 *   unverifiable      the ledger could not tell (memory bound hit, or a share group without a record):
 *                     never counted as new.
 */
import { ADDED, NO_MEMORY, SeqSet, type ChunkSlab } from './seqSet.js';

export type Arrival = 'new' | 'outOfOrder' | 'duplicate' | 'extra' | 'unverifiable';

/** A `$share` group's record of the messages it received, shared by its members in every thread. */
export interface ShareRecord {
  /** Marks (publisher, seq) as received by the group: true if it was already, null when not covered. */
  testAndSet(publisher: number, seq: number): boolean | null;
  /** The group's first delivery of a measured message came at class q (kept for `merge`; see shareLedger.ts). */
  measured?(publisher: number, seq: number, q: number): void;
}

/**
 * Where one matching `$share` subscription's deliveries are checked: the group's shared record, or
 * (`local` ≥ 0, a group with this client as its only member) a set kept in this client's stream, or
 * neither (unverifiable: the group has several members but no shared record).
 */
export interface ShareTarget {
  record: ShareRecord | null;
  local: number;
}

interface Stream {
  /** Highest sequence number delivered as new (out-of-order detection). */
  max: number;
  /** copies[r]: sequence numbers received at least r + 1 times as the client's own copies. */
  copies: SeqSet[];
  /** With overlapping subscriptions: the sequence numbers whose owed copy arrived. */
  owed: SeqSet | null;
  /** Per single-member share group (ShareTarget.local): what it received. */
  local: SeqSet[];
  /** Intended time (epoch ms) of the newest message delivered as new: this stream's horizon (tail.ts). */
  newest: number;
}

/** Bookkeeping bytes counted per stream record and per set (beyond their chunks). */
const STREAM_BYTES = 160;
const SET_BYTES = 96;

export class ArrivalLedger {
  private streams = new Map<number, Stream>();
  /** The shared group record that took the last arrival as new (null: the client's own copy, or a local group). */
  lastShare: ShareRecord | null = null;
  /** The stream of the last arrival (null: none yet, or no memory for one). */
  private last: Stream | null = null;

  constructor(private readonly slab: ChunkSlab) {}

  /**
   * One delivery of message (publisher, seq) to this client.
   * `copies`: how many copies the client may get as its own (its non-shared subscriptions matching the
   * topic; 0 when only `$share` ones match). `owes`: publishers counted one of them (else every own copy
   * is extra). `top`: the delivery arrived at (at least) the QoS publishers counted it under: it can be
   * the owed copy (with a single subscription, the first copy is the owed one at any QoS).
   * `shares[0 … nShares)`: the matching `$share` subscriptions, tried once the own copies are used up.
   */
  arrive(publisher: number, seq: number, copies: number, owes: boolean, top: boolean, shares: readonly ShareTarget[], nShares: number): Arrival {
    const s = this.stream(publisher);
    this.lastShare = null;
    this.last = s;
    if (s === null) return 'unverifiable';
    for (let r = 0; r < copies; r++) {
      const set = s.copies[r] ?? this.newSet(s.copies);
      if (set === null) return 'unverifiable';
      const a = set.add(seq, this.slab);
      if (a === NO_MEMORY) return 'unverifiable';
      if (a !== ADDED) continue;
      if (!owes) return 'extra';
      if (copies === 1) return order(s, seq);
      if (!top) return 'extra';
      s.owed ??= this.slab.reserve(SET_BYTES) ? new SeqSet() : null;
      if (s.owed === null) return 'unverifiable';
      const o = s.owed.add(seq, this.slab);
      return o === ADDED ? order(s, seq) : o === NO_MEMORY ? 'unverifiable' : 'extra';
    }
    for (let k = 0; k < nShares; k++) {
      const t = shares[k];
      if (t.record !== null) {
        const seen = t.record.testAndSet(publisher, seq);
        if (seen === null) return 'unverifiable';
        if (!seen) {
          this.lastShare = t.record;
          return order(s, seq);
        }
      } else if (t.local >= 0) {
        while (s.local.length <= t.local) if (this.newSet(s.local) === null) return 'unverifiable';
        const a = s.local[t.local].add(seq, this.slab);
        if (a === NO_MEMORY) return 'unverifiable';
        if (a === ADDED) return order(s, seq);
      } else return 'unverifiable';
    }
    return 'duplicate';
  }

  /** The last arrival, judged new, was intended at `intendedMs`: it moves its stream's horizon. */
  noteNewest(intendedMs: number): void {
    const s = this.last;
    if (s !== null && intendedMs > s.newest) s.newest = intendedMs;
  }

  /**
   * The oldest of this client's stream horizons (epoch ms): every stream delivered a message intended at
   * or after it. Infinity without streams.
   */
  horizon(): number {
    let h = Infinity;
    for (const s of this.streams.values()) if (s.newest < h) h = s.newest;
    return h;
  }

  private stream(publisher: number): Stream | null {
    let s = this.streams.get(publisher);
    if (s === undefined) {
      if (!this.slab.reserve(STREAM_BYTES)) return null;
      s = { max: -1, copies: [], owed: null, local: [], newest: -Infinity };
      this.streams.set(publisher, s);
    }
    return s;
  }

  private newSet(into: SeqSet[]): SeqSet | null {
    if (!this.slab.reserve(SET_BYTES)) return null;
    const set = new SeqSet();
    into.push(set);
    return set;
  }
}

function order(s: Stream, seq: number): Arrival {
  if (seq < s.max) return 'outOfOrder';
  s.max = seq;
  return 'new';
}
