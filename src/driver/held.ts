import { NotSent } from './driver.js';
import type { WriteLedger } from './writeLedger.js';

/** What both drivers' sessions know of a held QoS 1/2 publish: its position in a connection's output, and whether it was written. */
export interface HeldMark {
  written: boolean;
  pos: number;
}

/** Marks as written the held publishes the connection's ledger saw reach the kernel. */
export function markWritten(held: Iterable<HeldMark>, ledger: WriteLedger | null): void {
  if (ledger === null) return;
  const w = ledger.writtenPos;
  for (const h of held) if (!h.written && h.pos <= w) h.written = true;
}

/** Empties `held`, then fails each publish: `err` if it was written, NotSent if it never left. */
export function failHeld<H extends HeldMark>(held: Map<number, H>, ledger: WriteLedger | null, err: Error, fail: (h: H, e: Error) => void): void {
  if (held.size === 0) return;
  markWritten(held.values(), ledger);
  const all = [...held.values()];
  held.clear();
  let notSent: NotSent | null = null;
  for (const h of all) fail(h, h.written ? err : (notSent ??= new NotSent()));
}
