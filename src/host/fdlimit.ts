/**
 * The process's open-files limit, which caps how many connections one mqbench process can hold (each
 * connection is a socket, i.e. a file descriptor). Node raises the soft limit to the hard limit at start-up,
 * so the value read here is the one that applies.
 */
import { readFileSync } from 'node:fs';

/** File descriptors kept free for everything that is not a broker connection (stdio, logs, workers, DNS). */
export const FD_HEADROOM = 100;

/** Parses the "Max open files" soft value out of /proc/<pid>/limits text; null when absent or unlimited. */
export function parseOpenFilesLimit(text: string): number | null {
  const m = /^Max open files\s+(\S+)/m.exec(text);
  if (!m || !/^\d+$/.test(m[1])) return null;
  return Number(m[1]);
}

/** This process's soft open-files limit, or null where it cannot be read (not Linux) or is unlimited. */
export function openFilesLimit(): number | null {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

/** Connections one process can hold under an open-files limit of `limit`. */
export function maxConnectionsFor(limit: number): number {
  return limit - FD_HEADROOM;
}

/** The limits to pass to the scenario loader: none when the open-files limit is unknown. */
export function connectionLimits(): { maxConnections?: number; openFiles?: number } {
  const openFiles = openFilesLimit();
  return openFiles === null ? {} : { maxConnections: maxConnectionsFor(openFiles), openFiles };
}
