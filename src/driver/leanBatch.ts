/** An output with bytes to write (LeanOutput). */
export interface Flushable {
  flush(): void;
}

/**
 * Output batching across the lean driver's connections: the outputs that got bytes this event-loop
 * turn. One process.nextTick flushes them all, so the publishes made in one callback (a pacer tick, one
 * socket read) leave in one socket write per connection, with no delay. Two lists are swapped, so a
 * flush allocates nothing.
 */
let dirty: Flushable[] = [];
let spare: Flushable[] = [];

/** `o` has bytes waiting (called once per turn per output, when its buffer is first reserved). */
export function scheduleFlush(o: Flushable): void {
  if (dirty.push(o) === 1) process.nextTick(flushDirty);
}

function flushDirty(): void {
  const list = dirty;
  dirty = spare;
  for (let k = 0; k < list.length; k++) list[k].flush();
  list.length = 0;
  spare = list;
}
