/**
 * `$share` groups across the segments of a distributed run. A group's members may run in several
 * processes: each process judges the group's deliveries exactly among its own members, but a message
 * the group received in two segments was counted new in both. Each segment therefore writes, per group
 * record, the class (+ 1) of the group's first local delivery of every measured message, 2 bits per
 * message, deflated (mostly zeros: publishers whose topics the group does not match leave theirs empty);
 * `merge` finds the messages present in several segments and counts all but one as duplicates.
 *
 * Bounds: a record whose cells exceed MAX_RECORD_BYTES raw, or cells that compress to more than
 * MAX_DUMP_BYTES in all, are not written: the segment says so (`omitted`) and the merged result says that
 * cross-segment duplicates inside `$share` groups were not checked. Per-second rows of a merged run do not
 * subtract cross-segment duplicates (the cells do not say when a message was due): the merged result says
 * how many there were.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { SegmentShareLedger } from './segmentTypes.js';
import type { SeqLayout } from './seqBitmap.js';
import { ShareGroupRecord, type ShareBuffers } from './shareLedger.js';

export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
export const MAX_DUMP_BYTES = 32 * 1024 * 1024;

export type { SegmentShareLedger };

export function dumpShareLedger(buffers: ShareBuffers, layout: SeqLayout): SegmentShareLedger | undefined {
  if (buffers.recorded.length === 0 && buffers.unrecorded.length === 0) return undefined;
  const out: SegmentShareLedger = { groups: [], unrecorded: [...buffers.unrecorded] };
  let total = 0;
  for (const r of buffers.recorded) {
    const cells = new ShareGroupRecord(layout, r.buffer, buffers.classes).classes;
    if (cells === null) return { ...out, groups: [], omitted: 'the records keep no classes (not a segment run)' };
    if (cells.byteLength > MAX_RECORD_BYTES)
      return { ...out, groups: [], omitted: `${r.key}: ${cells.byteLength} bytes of cells, more than ${MAX_RECORD_BYTES}` };
    const packed = deflateRawSync(Buffer.from(cells.buffer, cells.byteOffset, cells.byteLength));
    total += packed.length;
    if (total > MAX_DUMP_BYTES) return { ...out, groups: [], omitted: `the $share records compress to more than ${MAX_DUMP_BYTES} bytes` };
    out.groups.push({ filter: r.key, classes: packed.toString('base64') });
  }
  return out;
}

export interface CrossSegmentShares {
  /** Duplicates by delivery class: messages a group received in n > 1 segments count n − 1 times. */
  byQos: [number, number, number];
  /** What was checked, or why not (absent when the run has no `$share` group with a record). */
  note?: string;
}

/** Finds what `$share` groups received in several segments; `ledgers[i]` is segment i's (or undefined). */
export function crossSegmentShares(ledgers: (SegmentShareLedger | undefined)[], labels: string[]): CrossSegmentShares {
  const byQos: [number, number, number] = [0, 0, 0];
  const problems: string[] = [];
  const cells = new Map<string, Int32Array[]>();
  ledgers.forEach((l, i) => {
    if (!l) return;
    if (l.omitted) problems.push(`segment ${labels[i]}: ${l.omitted}`);
    if (l.unrecorded.length > 0) problems.push(`segment ${labels[i]}: no record for ${l.unrecorded.join(', ')}`);
    for (const g of l.groups) {
      const raw = inflateRawSync(Buffer.from(g.classes, 'base64'));
      const list = cells.get(g.filter) ?? [];
      list.push(new Int32Array(raw.buffer, raw.byteOffset, raw.byteLength >>> 2));
      cells.set(g.filter, list);
    }
  });
  if (cells.size === 0 && problems.length === 0) return { byQos };
  for (const list of cells.values()) if (list.length > 1) addOverlaps(list, byQos);
  const n = byQos[0] + byQos[1] + byQos[2];
  const found = `$share groups: ${n.toLocaleString('en-US')} message${n === 1 ? '' : 's'} received by a group in more than one segment, counted as duplicates (per-second rows do not subtract them)`;
  const note = problems.length > 0 ? `${found}; NOT checked across segments: ${problems.join('; ')}` : found;
  return { byQos, note };
}

/** For every message with cells in several segments: all but the first count as duplicates, in their own class. */
function addOverlaps(list: Int32Array[], byQos: [number, number, number]): void {
  const words = Math.min(...list.map((c) => c.length));
  for (let w = 0; w < words; w++) {
    let nonZero = 0;
    for (const c of list) if (c[w] !== 0) nonZero++;
    if (nonZero < 2) continue;
    for (let lane = 0; lane < 16; lane++) {
      let first = true;
      for (const c of list) {
        const v = (c[w] >>> (lane * 2)) & 3;
        if (v === 0) continue;
        if (first) first = false;
        else byQos[v - 1]++;
      }
    }
  }
}
