/**
 * Whether runs ran the same workload: equal scenario hashes say so at once; otherwise the recorded scenarios are
 * compared key by key, the target (which broker) left out, and each differing key is named with its values.
 */
import type { Results } from '../metrics/types.js';

function canonical(x: unknown): string {
  return (
    JSON.stringify(x, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
    ) ?? 'undefined'
  );
}

const short = (x: unknown): string => {
  const s = canonical(x);
  return s.length <= 40 ? s : `${s.slice(0, 37)}…`;
};

/** "durationMs: 30000 vs 10000" per top-level scenario key (other than target) that differs from the first run's. */
export function workloadDifferences(runs: readonly Results[]): string[] {
  const hashes = runs.map((r) => r.environment?.scenarioHash);
  if (runs.length < 2 || (hashes[0] !== undefined && hashes.every((h) => h === hashes[0]))) return [];
  const first = runs[0].scenario ?? {};
  const found = new Map<string, Set<string>>();
  for (const other of runs.slice(1).map((r) => r.scenario ?? {})) {
    for (const k of new Set([...Object.keys(first), ...Object.keys(other)])) {
      if (k === 'target' || canonical(first[k]) === canonical(other[k])) continue;
      const values = found.get(k) ?? new Set([short(first[k])]);
      values.add(short(other[k]));
      found.set(k, values);
    }
  }
  return [...found].map(([k, v]) => `${k}: ${[...v].join(' vs ')}`);
}
