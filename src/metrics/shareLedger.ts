/**
 * `$share` groups: a message published to a group's filter is owed once to the group, whichever member
 * gets it; a second delivery to the group (through the same or another member, in any worker thread)
 * is a duplicate. Each group with several members gets a run-wide SeqBitmap in shared memory (one bit
 * per publisher × sequence number, allocated by the coordinator from the plan's SeqLayout): its members
 * mark what the group received, atomically, across threads. A group with a single member needs no
 * shared record (its member's own stream ledger is exact).
 *
 * A group is what brokers share a subscription by: the share name AND the topic filter (MQTT 5 §4.8.2;
 * mosquitto keeps one list of sessions per "$share/<name>/<filter>"), so the key is the whole filter.
 *
 * In a segment of a distributed run (--segment, --processes) a group's members may run in several
 * processes, which share no memory: each record then also keeps, in 2 bits per message, the QoS class
 * (+ 1) of the group's first delivery in this process of each measured message, written into the
 * segment's results (shareMerge.ts) so that `merge` finds the messages the group got in two segments.
 */
import type { PlannedSubscription } from './ledger.js';
import { SeqBitmap, type SeqLayout } from './seqBitmap.js';
import type { ShareRecord, ShareTarget } from './streams.js';

/** Upper bound of the shared bitmaps of one process (virtual: pages never written stay unallocated). */
export const MAX_SHARE_BYTES = 1024 * 1024 * 1024;

/** What the coordinator hands every worker thread (part of WorkerInit). */
export interface ShareBuffers {
  /** Groups with a shared record: the whole `$share/<name>/<filter>` and its buffer (see ShareGroupRecord). */
  recorded: { key: string; buffer: SharedArrayBuffer }[];
  /** Whether the records keep the measured classes (segments of a distributed run). */
  classes: boolean;
  /** Groups with several members but no record (over MAX_SHARE_BYTES, or a run too large for a SeqLayout). */
  unrecorded: string[];
}

/** Number of members (distinct clients) of every `$share` group of the plan, in plan order. */
export function shareGroups(subs: Iterable<PlannedSubscription>): Map<string, number> {
  const members = new Map<string, Set<number>>();
  for (const s of subs) {
    if (!s.filter.startsWith('$share/')) continue;
    let m = members.get(s.filter);
    if (!m) members.set(s.filter, (m = new Set()));
    m.add(s.client);
  }
  return new Map([...members].map(([k, m]) => [k, m.size]));
}

/** Allocates a shared record for every group with several members, within `maxBytes`. */
export function allocateShareRecords(groups: Map<string, number>, layout: SeqLayout, classes = false, maxBytes = MAX_SHARE_BYTES): ShareBuffers {
  const out: ShareBuffers = { recorded: [], unrecorded: [], classes };
  const bytes = ShareGroupRecord.bytes(layout, classes);
  let used = 0;
  for (const [key, members] of groups) {
    if (members < 2) continue;
    if (layout.bits === 0 || used + bytes > maxBytes) {
      out.unrecorded.push(key);
      continue;
    }
    used += bytes;
    out.recorded.push({ key, buffer: new SharedArrayBuffer(bytes) });
  }
  return out;
}

/**
 * One group's record: a SeqBitmap of the messages it received (first), and with `classes` a 2-bit cell
 * per message (class + 1 of its first delivery here, measured messages only) after it.
 */
export class ShareGroupRecord implements ShareRecord {
  readonly seen: SeqBitmap;
  readonly classes: Int32Array | null;

  constructor(layout: SeqLayout, buffer: SharedArrayBuffer | ArrayBuffer, classes: boolean) {
    this.seen = new SeqBitmap(layout, buffer);
    const at = SeqBitmap.bytes(layout);
    this.classes = classes ? new Int32Array(buffer, at, (buffer.byteLength - at) / 4) : null;
  }

  static bytes(layout: SeqLayout, classes: boolean): number {
    const seen = SeqBitmap.bytes(layout);
    return classes ? seen + Math.max(4, Math.ceil(layout.bits / 16) * 4) : seen;
  }

  testAndSet(publisher: number, seq: number): boolean | null {
    return this.seen.testAndSet(publisher, seq);
  }

  /** The group's first delivery here of a measured message came at class q (segments only). */
  measured(publisher: number, seq: number, q: number): void {
    if (this.classes === null) return;
    const bit = this.seen.bitOf(publisher, seq);
    if (bit >= 0) Atomics.or(this.classes, bit >>> 4, (q + 1) << ((bit & 15) * 2));
  }
}

/** A worker thread's view of the share records: the ShareTarget of each shared filter. */
export class ShareLedger {
  readonly records = new Map<string, ShareGroupRecord>();
  private readonly unrecorded: Set<string>;
  private static readonly NONE: ShareTarget = { record: null, local: -1 };

  constructor(buffers: ShareBuffers, layout: SeqLayout) {
    for (const r of buffers.recorded) this.records.set(r.key, new ShareGroupRecord(layout, r.buffer, buffers.classes));
    this.unrecorded = new Set(buffers.unrecorded);
  }

  /** Where deliveries through a client's k-th filter (a `$share/…` one) are checked. */
  target(filter: string, k: number): ShareTarget {
    const record: ShareRecord | undefined = this.records.get(filter);
    if (record) return { record, local: -1 };
    return this.unrecorded.has(filter) ? ShareLedger.NONE : { record: null, local: k };
  }
}
