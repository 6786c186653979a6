// Reading other processes from /proc (Linux): RSS, CPU time, open file descriptors, children. Every reader returns
// null when the process is gone, so a sampler racing a process's exit records a gap, not a crash.
import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size in bytes (VmRSS), or null. */
export function rssOf(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat (fixed at 100 by the kernel; as src/observe/procfs.ts). */
const TICKS_PER_SECOND = 100;

/**
 * The fields of /proc/<pid>/stat after the command name (field 3, the state, first), or null when the process
 * is gone. The command name may hold spaces and ')': the fields start after the last ')'.
 */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, all threads) the process has used so far, from /proc/<pid>/stat, or null. */
export function cpuSecondsOf(pid) {
  const f = statFields(pid);
  // utime, stime are fields 14, 15.
  return f === null ? null : (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
}

/** Open file descriptors (entries of /proc/<pid>/fd): sockets, pipes, files, epoll, eventfds …, or null. */
export function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** Pids whose parent is `pid` (from /proc/<p>/stat; the command name may contain spaces and parentheses). */
export function childrenOf(pid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name); // null: gone meanwhile
    if (f !== null && Number(f[1]) === pid) out.push(Number(name));
  }
  return out;
}

export function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}
