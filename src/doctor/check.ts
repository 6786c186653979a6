/**
 * One finding of `mqbench doctor` and how it is printed. Pure: the CLI prints what these return.
 *
 *   ok    open files: soft 20,000, hard 20,000: room for ~19,900 connections per process (500 planned)
 *   FAIL  ephemeral ports: 32768-60999 gives 28,232 ports per broker ip:port; 50,000 planned
 *         fix: sysctl -w net.ipv4.ip_local_port_range="1024 65535"
 *         note: past 64,512 connections to one broker ip:port you need more source addresses
 */

export type Status = 'ok' | 'WARN' | 'FAIL';

export interface Check {
  status: Status;
  /** What was checked, e.g. "open files", "MQTT 5", "retain". */
  what: string;
  /** What was found, in words (with the numbers it was judged on). */
  finding: string;
  /** Commands that fix the problem, exactly as a user would type them. */
  fix?: string[];
  /** More words on the problem or a fix that is not a single command. */
  note?: string;
}

const INDENT = ' '.repeat(6);

export function ok(what: string, finding: string, note?: string): Check {
  return note ? { status: 'ok', what, finding, note } : { status: 'ok', what, finding };
}

export function warn(what: string, finding: string, fix?: string[], note?: string): Check {
  return problem('WARN', what, finding, fix, note);
}

export function fail(what: string, finding: string, fix?: string[], note?: string): Check {
  return problem('FAIL', what, finding, fix, note);
}

function problem(status: Status, what: string, finding: string, fix?: string[], note?: string): Check {
  const c: Check = { status, what, finding };
  if (fix?.length) c.fix = fix;
  if (note) c.note = note;
  return c;
}

/** The check's line, then (for a problem, or an ok with a note) its fix commands and note, indented. */
export function formatCheck(c: Check): string {
  const lines = [`${c.status.padEnd(4)}  ${c.what}: ${c.finding}`];
  for (const f of c.fix ?? []) lines.push(`${INDENT}fix: ${f}`);
  if (c.note) lines.push(`${INDENT}note: ${c.note}`);
  return lines.join('\n');
}

export function countByStatus(checks: readonly Check[]): Record<Status, number> {
  const n: Record<Status, number> = { ok: 0, WARN: 0, FAIL: 0 };
  for (const c of checks) n[c.status]++;
  return n;
}

/** The closing line, e.g. "doctor: 9 ok, 2 WARN, 1 FAIL: fix the FAIL lines before a run". */
export function formatSummary(checks: readonly Check[]): string {
  const n = countByStatus(checks);
  const verdict = n.FAIL > 0 ? 'fix the FAIL lines before a run' : n.WARN > 0 ? 'a run can start; read the WARN lines' : 'ready';
  return `doctor: ${n.ok} ok, ${n.WARN} WARN, ${n.FAIL} FAIL: ${verdict}`;
}

/** 1 when any check failed, else 0 (usage errors, 2, never get this far). */
export function doctorExitCode(checks: readonly Check[]): 0 | 1 {
  return checks.some((c) => c.status === 'FAIL') ? 1 : 0;
}

/** 12345 → "12,345" (numbers in findings are read by people). */
export const num = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'unlimited');

/** Bytes → "1.2 GB" / "350 MB" / "15 KB". */
export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} KB`;
}
