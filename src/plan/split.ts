/**
 * Exact splits: the shares always add up to the total. No remainder is ever dropped;
 * the first `total % parts` shares get one more.
 */
export function splitCount(total: number, parts: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be a positive integer, got ${parts}`);
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

export interface Range {
  first: number;
  count: number;
}

/** Contiguous index ranges [first, first + count) covering 0..total-1 exactly once. */
export function splitRange(total: number, parts: number): Range[] {
  let first = 0;
  return splitCount(total, parts).map((count) => {
    const r = { first, count };
    first += count;
    return r;
  });
}

/**
 * The share of a group's total rate that the clients in `range` carry. The plan gives every
 * client an equal slot in the group's global schedule (message k is sent by client k mod count),
 * so a range's share is rate * range.count / count, and the shares sum to the rate.
 */
export function rateShare(rate: number, groupCount: number, range: Range): number {
  return groupCount === 0 ? 0 : (rate * range.count) / groupCount;
}
