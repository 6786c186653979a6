import { readFileSync } from 'node:fs';
import { parsePortRange, type PortRange } from '../shared/portRange.js';

/**
 * Source ports chosen by mqbench instead of the kernel, for plain-TCP connections of the lean driver.
 *
 * A `connect()` without a bound port makes the kernel search the ephemeral range for a free port; with
 * thousands of connections to one broker that search dominates the connect (bench figure (c): 36-58% of the
 * generator's profile in the connect system call at 19,900 connections, ~0.5 ms of kernel time per connect).
 * Binding a chosen port first is a hash lookup. Each thread walks the kernel's own ephemeral range from a
 * random start, so its ports never collide with a listener started later (the kernel never hands out ports
 * that are in use) and threads or processes on one machine rarely pick the same port. A port that is taken
 * anyway (EADDRINUSE at bind, or EADDRNOTAVAIL at connect: the same 4-tuple already exists, e.g. one in
 * TIME_WAIT) is skipped: the connection retries on the next port (tcpConnect.ts).
 */
export class SourcePorts {
  private next: number;

  constructor(
    readonly low: number,
    readonly high: number,
    start = low + Math.floor(Math.random() * (high - low + 1)),
  ) {
    this.next = Math.min(high, Math.max(low, start));
  }

  /** The next port of the walk (wraps around the range). */
  take(): number {
    const p = this.next;
    this.next = p >= this.high ? this.low : p + 1;
    return p;
  }
}

/** The kernel's default range, when /proc cannot be read. */
const DEFAULT_RANGE: PortRange = { low: 32768, high: 60999 };

/** The range in "32768\t60999" (shared/portRange.ts), or the default when it is unusable for binding. */
export function usablePortRange(text: string): PortRange {
  const r = parsePortRange(text);
  return r !== null && r.low >= 1024 && r.high <= 65535 && r.low < r.high ? r : DEFAULT_RANGE;
}

let threadPorts: SourcePorts | null = null;

/** This thread's walk over the kernel's ephemeral range (read once). */
export function sourcePorts(): SourcePorts {
  if (threadPorts === null) {
    let range = DEFAULT_RANGE;
    try {
      range = usablePortRange(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
    } catch {
      // not Linux: the default range
    }
    threadPorts = new SourcePorts(range.low, range.high);
  }
  return threadPorts;
}
