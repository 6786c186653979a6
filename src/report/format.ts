/**
 * Number formatting shared by the text reporters (summary table, live progress).
 * Locale-independent on purpose: the output must look the same on every machine and in tests.
 */

/** Placeholder for a value that does not exist (no samples, not measured). */
export const NONE = '–';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer with thousands separators: 1234567 → "1,234,567". Non-integers are rounded. */
export function fmtInt(n: number): string {
  if (!Number.isFinite(n)) return NONE;
  const rounded = Math.round(n);
  const sign = rounded < 0 ? '-' : '';
  return sign + groupThousands(String(Math.abs(rounded)));
}

/** Fixed decimals with thousands separators on the integer part: (12345.678, 1) → "12,345.7". */
function fmtFixed(n: number, decimals: number): string {
  const text = Math.abs(n).toFixed(decimals);
  const [int, frac] = text.split('.');
  const sign = n < 0 && /[1-9]/.test(text) ? '-' : '';
  return sign + groupThousands(int) + (frac === undefined ? '' : `.${frac}`);
}

/**
 * Digits after the decimal point for a value: the smaller the value, the more digits, so every figure
 * keeps about three significant digits. Decided on the *rounded* value: 9.996 prints as "10.0", not "10.00".
 */
function decimalsFor(n: number, tiers: readonly [limit: number, decimals: number][], last: number): number {
  const abs = Math.abs(n);
  for (const [limit, decimals] of tiers) {
    if (Number(abs.toFixed(decimals)) < limit) return decimals;
  }
  return last;
}

const MS_TIERS: readonly [number, number][] = [
  [1, 3],
  [10, 2],
  [100, 1],
];

/**
 * Milliseconds without the unit: < 1 → 3 decimals, < 10 → 2, < 100 → 1, else an integer.
 * 0.1234 → "0.123", 1.234 → "1.23", 12.34 → "12.3", 1234.5 → "1,235".
 */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  const decimals = decimalsFor(ms, MS_TIERS, 0);
  return decimals === 0 ? fmtInt(ms) : fmtFixed(ms, decimals);
}

const RATE_TIERS: readonly [number, number][] = [
  [10, 2],
  [100, 1],
];

/** A per-second rate with its unit: 2000 → "2,000/s", 12.34 → "12.3/s", 0.5 → "0.50/s", 0 → "0/s". */
export function fmtRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return `${NONE}/s`;
  if (perSec === 0) return '0/s';
  const decimals = decimalsFor(perSec, RATE_TIERS, 0);
  return `${decimals === 0 ? fmtInt(perSec) : fmtFixed(perSec, decimals)}/s`;
}

/** A duration in seconds with its unit: 30 → "30.0 s", 0.25 → "0.25 s", 125.4 → "125 s". */
export function fmtSec(sec: number): string {
  if (!Number.isFinite(sec)) return NONE;
  const decimals = decimalsFor(
    sec,
    [
      [1, 2],
      [100, 1],
    ],
    0,
  );
  return `${decimals === 0 ? fmtInt(sec) : fmtFixed(sec, decimals)} s`;
}

/**
 * A share of a whole as a percentage that never rounds a non-zero part down to "0%":
 * (1, 3) → "33.3%", (1, 1e6) → "0.0001%", (0, 10) → "0%". A zero whole gives "–".
 */
export function fmtPercent(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole === 0) return NONE;
  const pct = (part / whole) * 100;
  if (pct === 0) return '0%';
  if (Math.abs(pct) >= 10) return `${fmtFixed(pct, 1)}%`;
  if (Math.abs(pct) >= 0.01) return `${fmtFixed(pct, 2)}%`;
  const decimals = Math.min(20, Math.ceil(-Math.log10(Math.abs(pct))));
  return `${fmtFixed(pct, decimals)}%`;
}
