/**
 * Human units used in scenario files: durations ("1m30s"), rates ("500/s") and sizes ("4KiB").
 * Parsers throw `UnitError` with a short message (quoting the input) and an optional hint.
 */
import { show } from './problems.js';

/** A unit string that could not be parsed. `message` quotes the input; `hint` says how to fix it. */
export class UnitError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UnitError';
  }
}

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
const DURATION_ORDER = ['h', 'm', 's', 'ms'];
const NUMBER = /^\d+(\.\d+)?$/;
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|h|m|s)/y;

/** Rounds away floating-point noise (e.g. 1.1 * 1000 = 1100.0000000000002) at the 6th decimal. */
function tidy(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Parses a duration into milliseconds: "500ms", "30s", "2m", "1h", "1.5s", "1m30s".
 * Compound parts must go from the largest unit to the smallest. A bare number is an error.
 */
export function parseDuration(text: string): number {
  const src = text.trim();
  const bad = `expected a duration like 30s, got ${show(text)}`;
  if (src === '') throw new UnitError(bad, 'durations look like 500ms, 30s, 2m, 1h or 1m30s');
  if (NUMBER.test(src)) throw new UnitError(bad, 'add a unit, e.g. 30s');
  if (src.startsWith('-')) throw new UnitError(bad, 'a duration cannot be negative');
  let total = 0;
  let pos = 0;
  let lastRank = -1;
  while (pos < src.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(src);
    if (!m) throw new UnitError(bad, 'durations look like 500ms, 30s, 2m, 1h or 1m30s');
    const unit = m[2];
    const rank = DURATION_ORDER.indexOf(unit);
    if (rank <= lastRank) {
      throw new UnitError(bad, 'write each unit once, largest first, e.g. 1m30s');
    }
    lastRank = rank;
    total += Number(m[1]) * DURATION_UNITS[unit];
    pos = DURATION_PART.lastIndex;
    while (src[pos] === ' ') pos++;
  }
  return tidy(total);
}

const RATE_UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  m: 60,
  min: 60,
  minute: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
};
const RATE = /^(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)$/i;

/** Parses a rate into events per second: "500/s", "10/m", "2/h", "5/sec", "3/min". */
export function parseRate(text: string): number {
  const src = text.trim();
  const bad = `expected a rate like 500/s, got ${show(text)}`;
  if (NUMBER.test(src)) throw new UnitError(bad, 'a rate needs a unit, e.g. 500/s');
  if (src.startsWith('-')) throw new UnitError(bad, 'a rate cannot be negative');
  const m = RATE.exec(src);
  if (!m) throw new UnitError(bad, 'rates look like 500/s, 10/m or 2/h');
  const per = RATE_UNITS[m[2].toLowerCase()];
  if (per === undefined) throw new UnitError(bad, 'the unit after / is s, m or h');
  return Number(m[1]) / per;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 * 1024,
  mib: 1024 * 1024,
};
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** Parses a size into bytes: a bare integer (bytes), "64B", "4KB"/"4KiB" (×1024), "1MB"/"1MiB" (×1024²). */
export function parseSize(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0) {
      throw new UnitError(`expected a whole number of bytes, got ${input}`, 'sizes look like 64, 512B, 4KiB or 1MiB');
    }
    return input;
  }
  const src = input.trim();
  const bad = `expected a size like 4KiB, got ${show(input)}`;
  const m = SIZE.exec(src);
  if (!m) throw new UnitError(bad, 'sizes look like 64, 512B, 4KiB or 1MiB');
  const factor = SIZE_UNITS[m[2].toLowerCase()];
  if (factor === undefined) throw new UnitError(bad, 'size units are B, KB (or KiB) and MB (or MiB)');
  const bytes = tidy(Number(m[1]) * factor);
  if (!Number.isInteger(bytes)) {
    throw new UnitError(`size ${show(input)} is not a whole number of bytes`);
  }
  return bytes;
}

/** Formats a number with at most 3 decimals and no trailing zeros. */
function num(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** Formats milliseconds for display: 500 → "500ms", 1500 → "1.5s", 90000 → "1m30s", 3600000 → "1h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 1000) return `${num(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = tidy((ms % 60_000) / 1000);
  let out = '';
  if (h) out += `${h}h`;
  if (m) out += `${m}m`;
  if (s || out === '') out += `${num(s)}s`;
  return out;
}

/** Formats a per-second rate for display, picking /s, /m or /h so the number stays ≥ 1: 0.5 → "30/m". */
export function formatRate(perSec: number): string {
  if (perSec === 0 || perSec >= 1 || !Number.isFinite(perSec)) return `${num(perSec)}/s`;
  if (perSec * 60 >= 1) return `${num(perSec * 60)}/m`;
  return `${num(perSec * 3600)}/h`;
}
