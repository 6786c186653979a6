import { readdirSync, readFileSync } from 'node:fs';

/**
 * Independent reads of procfs for tests that check src/observe (written apart from it on purpose).
 * `path` is "<pid>" or "<pid>/task/<tid>"; utime and stime are in ticks of 1/100 s.
 */
export function procTicks(path: number | string): { utime: number; stime: number; total: number } {
  const f = readFileSync(`/proc/${path}/stat`, 'utf8').split(') ')[1].split(' ');
  const [utime, stime] = [Number(f[11]), Number(f[12])];
  return { utime, stime, total: utime + stime };
}

export const procRssBytes = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

export const procFds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

/** Processes whose process group is `pgid` and whose command name is `comm` (e.g. the Erlang VM "beam.smp"). */
export function procsInGroup(pgid: number, comm: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (name === comm && Number(f[2]) === pgid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
