/**
 * The identity every segment of a distributed run must share: the run id (`{run}` in client ids and
 * topics), the 32-bit run tag in every payload header (derived from the run id, so segments agree without
 * talking), and a hash of the scenario (so `merge` can refuse shards of different scenarios).
 */
import { createHash } from 'node:crypto';

/** Letters, digits, '-' and '_': safe in client ids and topic levels (no '/', '+', '#'). */
const RUN_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function checkRunId(id: string): string | null {
  return RUN_ID.test(id) ? null : `run id "${id}" must be 1-32 letters, digits, '-' or '_'`;
}

/** The payload run tag of a run id: the first 4 bytes of its SHA-256 (little-endian). */
export function runTagOf(runId: string): number {
  return createHash('sha256').update(`mqbench-run:${runId}`).digest().readUInt32LE(0);
}

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * A short hash of a (redacted, resolved) scenario as written in results. The broker URL(s) and local source
 * addresses are left out: segments on different machines may reach the same broker by different addresses.
 */
export function scenarioHash(scenario: Record<string, unknown>): string {
  const copy = JSON.parse(canonicalJson(scenario)) as Record<string, unknown>;
  const target = copy.target as Record<string, unknown> | undefined;
  if (target && typeof target === 'object') {
    delete target.url;
    delete target.urls;
    delete target.sourceAddresses;
  }
  return createHash('sha256').update(canonicalJson(copy)).digest('hex').slice(0, 16);
}

/** A run id every segment derives alike from the shared start time and the scenario hash. */
export function deriveRunId(startAtMs: number, hash: string): string {
  return createHash('sha256').update(`${startAtMs}:${hash}`).digest('hex').slice(0, 8);
}
