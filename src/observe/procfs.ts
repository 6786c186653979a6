/**
 * Pure parsers for the /proc files the pid source reads (Linux, proc(5)). Each returns null when the
 * text is not what it should be, so the source can say which file it could not understand.
 */

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat. The kernel fixes it at 100 on every architecture Node runs on. */
export const TICKS_PER_SECOND = 100;

export interface StatFields {
  /** utime + stime, in ticks (TICKS_PER_SECOND). */
  cpuTicks: number;
  threads: number;
}

/**
 * /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat. The command name (field 2) is in parentheses and may
 * itself hold spaces and ')', so fields are counted from the last ')': utime is field 14, stime 15,
 * num_threads 20.
 */
export function parseStat(text: string): StatFields | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // f[0] is field 3 (state): field n is f[n - 3].
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const threads = Number(f[17]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isInteger(threads) || f.length < 18) return null;
  return { cpuTicks: utime + stime, threads };
}

export interface StatusFields {
  rssBytes: number;
  threads: number;
}

/** VmRSS (kB) and Threads from /proc/<pid>/status; null when either is missing (e.g. a zombie has no VmRSS). */
export function parseStatus(text: string): StatusFields | null {
  const rss = /^VmRSS:\s+(\d+)\s*kB/m.exec(text);
  const threads = /^Threads:\s+(\d+)/m.exec(text);
  if (!rss || !threads) return null;
  return { rssBytes: Number(rss[1]) * 1024, threads: Number(threads[1]) };
}

export interface IoFields {
  readBytes: number;
  writeBytes: number;
}

/** read_bytes / write_bytes from /proc/<pid>/io: bytes the process caused to be fetched from or sent to storage. */
export function parseIo(text: string): IoFields | null {
  const r = /^read_bytes:\s+(\d+)/m.exec(text);
  const w = /^write_bytes:\s+(\d+)/m.exec(text);
  return r && w ? { readBytes: Number(r[1]), writeBytes: Number(w[1]) } : null;
}

/**
 * The busiest thread's CPU in cores between two readings of per-thread ticks. Threads seen only once
 * (just started) are left out: their ticks cover an unknown span. Null without a common thread.
 */
export function maxThreadCores(before: Map<string, number>, after: Map<string, number>, elapsedMs: number): number | null {
  if (elapsedMs <= 0) return null;
  let max: number | null = null;
  for (const [tid, ticks] of after) {
    const prev = before.get(tid);
    if (prev === undefined || ticks < prev) continue;
    const cores = (ticks - prev) / TICKS_PER_SECOND / (elapsedMs / 1000);
    if (max === null || cores > max) max = cores;
  }
  return max;
}

/** The soft "Max open files" limit from /proc/<pid>/limits; null when missing or unlimited. */
export function parseMaxOpenFiles(text: string): number | null {
  const m = /^Max open files\s+(\d+|unlimited)\s+/m.exec(text);
  return m && m[1] !== 'unlimited' ? Number(m[1]) : null;
}

/** /proc/<pid>/task/<tid>/schedstat: time on a CPU and time runnable but waiting for one, in ns (sched_info). */
export function parseSchedstat(text: string): { runNs: number; waitNs: number } | null {
  const f = text.trim().split(/\s+/).map(Number);
  return f.length >= 2 && Number.isFinite(f[0]) && Number.isFinite(f[1]) ? { runNs: f[0], waitNs: f[1] } : null;
}

/**
 * The busiest thread's CPU *demand* in cores: time running plus time runnable but waiting for a CPU (ns),
 * per second. A thread that always had work is at 1 however little CPU the host gave it. Null without a
 * thread seen twice.
 */
export function maxThreadDemand(before: Map<string, number>, after: Map<string, number>, elapsedMs: number): number | null {
  if (elapsedMs <= 0) return null;
  let max: number | null = null;
  for (const [tid, ns] of after) {
    const prev = before.get(tid);
    if (prev === undefined || ns < prev) continue;
    const cores = (ns - prev) / 1e6 / elapsedMs;
    if (max === null || cores > max) max = cores;
  }
  return max;
}
