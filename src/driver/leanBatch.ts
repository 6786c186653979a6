/** An output with bytes to write (LeanOutput). */
export interface Flushable {
  flush(): void;
}

/**
 * Output batching across the lean driver's connections: the outputs that got bytes this event-loop
 * turn. One process.nextTick flushes them all, so the publishes made in one callback (a pacer tick, one
 * socket read) leave in one socket write per connection, with no delay. Two lists are swapped, so a
 * flush allocates nothing.
 *
 * While a connection's input is being read (inputStart … inputEnd), what its own output gets is written
 * at inputEnd instead: the acks a read produces leave when the read is handled, the same write as on
 * the tick, without scheduling a tick per read (with thousands of subscribers each read is its own
 * callback, and a tick per read showed as a large share of the receive path in CPU profiles).
 */
let dirty: Flushable[] = [];
let spare: Flushable[] = [];
/** The output of the connection whose input is being read, and whether it got bytes meanwhile. */
let reading: Flushable | null = null;
let readingDirty = false;

/** `o` has bytes waiting (called once per turn per output, when its buffer is first reserved). */
export function scheduleFlush(o: Flushable): void {
  if (o === reading) {
    readingDirty = true;
    return;
  }
  if (dirty.push(o) === 1) process.nextTick(flushDirty);
}

/**
 * A read of `o`'s connection starts: false when another read is already in progress further up the
 * stack (then `o` is batched on the tick as usual, and inputEnd must not be called).
 */
export function inputStart(o: Flushable): boolean {
  if (reading !== null) return false;
  reading = o;
  readingDirty = false;
  return true;
}

/** The read that inputStart(o) began is done: `o` writes what it got (once, whatever the read produced). */
export function inputEnd(): void {
  const o = reading;
  const wrote = readingDirty;
  reading = null;
  readingDirty = false;
  if (wrote && o !== null) o.flush();
}

function flushDirty(): void {
  const list = dirty;
  dirty = spare;
  for (let k = 0; k < list.length; k++) list[k].flush();
  list.length = 0;
  spare = list;
}
