/**
 * What doctor needs to know about this machine, read from /proc and /proc/sys (Linux). The parsers are
 * pure (tested on sample text); `readMachineFacts` is the only function here that reads anything, and
 * every value it cannot read is null so the checks can say so instead of guessing.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parsePortRange, type PortRange } from '../shared/portRange.js';

export { parsePortRange, type PortRange };

export interface OpenFiles {
  /** Infinity for "unlimited". */
  soft: number;
  hard: number;
}

export interface MachineFacts {
  openFiles: OpenFiles | null;
  portRange: PortRange | null;
  somaxconn: number | null;
  memAvailableBytes: number | null;
  cpus: number;
}

const limitValue = (s: string): number | null => (s === 'unlimited' ? Infinity : /^\d+$/.test(s) ? Number(s) : null);

/** Soft and hard "Max open files" from /proc/<pid>/limits text; null when the line is missing or odd. */
export function parseOpenFiles(text: string): OpenFiles | null {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(text);
  if (!m) return null;
  const soft = limitValue(m[1]);
  const hard = limitValue(m[2]);
  return soft === null || hard === null ? null : { soft, hard };
}

/** A /proc/sys file holding one whole number (e.g. net.core.somaxconn). */
export function parseSysctlNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/** MemAvailable from /proc/meminfo, in bytes. */
export function parseMemAvailable(text: string): number | null {
  const m = /^MemAvailable:\s+(\d+)\s*kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parsed<T>(path: string, parse: (text: string) => T | null): T | null {
  const text = read(path);
  return text === null ? null : parse(text);
}

/**
 * Reads the facts from this process's view of the machine. Node raises the soft open-files limit to the hard
 * one when it starts, so /proc/self/limits here shows what an mqbench process gets, whatever the shell's soft value.
 */
export function readMachineFacts(): MachineFacts {
  return {
    openFiles: parsed('/proc/self/limits', parseOpenFiles),
    portRange: parsed('/proc/sys/net/ipv4/ip_local_port_range', parsePortRange),
    somaxconn: parsed('/proc/sys/net/core/somaxconn', parseSysctlNumber),
    memAvailableBytes: parsed('/proc/meminfo', parseMemAvailable),
    cpus: availableParallelism(),
  };
}
