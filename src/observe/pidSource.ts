/**
 * A broker process on this machine, read from procfs: CPU (user + system) of the process or of one of
 * its threads, the busiest thread's CPU, RSS, threads, open fds and storage I/O.
 *
 * The small files are read synchronously: procfs makes them in memory, never waiting on a disk, and a sync
 * read costs ~20 µs against ~200 µs for fs.promises.readFile (measured here). Listing /proc/<pid>/fd, which
 * can hold 100,000 entries, is async and only needed on kernels before 6.2.
 *
 * `tid` is for the embedded aedes broker, which runs on the main thread of mqbench's own process: its CPU
 * is that thread's; RSS, fds and I/O can only be had for the whole process, load generator included.
 */
import { readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { Clock } from '../shared/clock.js';
import { maxThreadCores, maxThreadDemand, parseIo, parseMaxOpenFiles, parseSchedstat, parseStat, parseStatus, TICKS_PER_SECOND } from './procfs.js';
import type { Reading, Source } from './types.js';

export interface PidSourceOptions {
  pid: number;
  /** Count CPU of this thread only (e.g. the embedded broker on mqbench's main thread: tid = pid). */
  tid?: number;
  clock: Clock;
  /** Where procfs is mounted (tests). */
  procRoot?: string;
}

/** statfs(2) f_type of procfs. */
const PROC_SUPER_MAGIC = 0x9fa0;

const errText = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

export function pidSource(opts: PidSourceOptions): Source {
  const { pid, tid, clock } = opts;
  const proc = `${opts.procRoot ?? '/proc'}/${pid}`;
  const cpuStat = tid === undefined ? `${proc}/stat` : `${proc}/task/${tid}/stat`;
  const notes: string[] = [];
  if (tid !== undefined) {
    notes.push(
      `CPU is thread ${tid}'s only; RSS, threads, fds and disk I/O are the whole process ${pid}` +
        (tid === pid ? " (mqbench's own load generator included)" : ''),
    );
  }
  let ioNote = false;
  const hostCpus = cpus().length;
  let lastThreads = new Map<string, number>();
  let lastDemand = new Map<string, number>();
  let lastAt = 0;
  let schedstat = true;

  /** Running + waiting ns of each thread (or of `tid` only), from schedstat; empty where the kernel has none. */
  function threadDemand(tids: Iterable<string>): Map<string, number> {
    const ns = new Map<string, number>();
    if (!schedstat) return ns;
    for (const t of tids) {
      try {
        const s = parseSchedstat(readFileSync(`${proc}/task/${t}/schedstat`, 'utf8'));
        if (s) ns.set(t, s.runNs + s.waitNs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && t === String(tid ?? pid)) schedstat = false; // no sched_info in this kernel
      }
    }
    return ns;
  }

  function threadTicks(): Map<string, number> {
    const ticks = new Map<string, number>();
    for (const t of readdirSync(`${proc}/task`)) {
      try {
        const s = parseStat(readFileSync(`${proc}/task/${t}/stat`, 'utf8'));
        if (s) ticks.set(t, s.cpuTicks);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return ticks;
  }

  let fdNote = false;
  // On procfs, Linux ≥ 6.2 reports the number of open fds as the size of /proc/<pid>/fd (0 before): no
  // 100k-entry listing each second. Elsewhere (a test's look-alike) a directory's size means nothing.
  const onProcfs = (() => {
    try {
      return statfsSync(opts.procRoot ?? '/proc').type === PROC_SUPER_MAGIC;
    } catch {
      return false;
    }
  })();
  async function openFds(): Promise<number | undefined> {
    try {
      const size = onProcfs ? statSync(`${proc}/fd`).size : 0;
      return size > 0 ? size : (await readdir(`${proc}/fd`)).length;
    } catch (err) {
      if (!fdNote) notes.push(`open fds left out: cannot read ${proc}/fd (${errText(err)})`);
      fdNote = true;
      return undefined;
    }
  }

  function io(): Reading['counters'] {
    try {
      const parsed = parseIo(readFileSync(`${proc}/io`, 'utf8'));
      if (parsed) return { diskReadBytes: parsed.readBytes, diskWriteBytes: parsed.writeBytes };
      throw new Error('unexpected format');
    } catch (err) {
      if (!ioNote) notes.push(`disk I/O left out: cannot read ${proc}/io (${errText(err)})`);
      ioNote = true;
      return {};
    }
  }

  return {
    kind: 'pid',
    target: tid === undefined ? `pid ${pid}` : tid === pid ? `embedded broker: mqbench's main thread (pid ${pid})` : `pid ${pid} thread ${tid}`,
    notes,
    async read() {
      const atMs = clock.now();
      let st, status, threads, disk;
      try {
        st = parseStat(readFileSync(cpuStat, 'utf8'));
        threads = tid === undefined ? threadTicks() : new Map<string, number>();
        status = parseStatus(readFileSync(`${proc}/status`, 'utf8'));
        disk = io();
      } catch (err) {
        throw new Error(`cannot read procfs for process ${pid} (${(err as Error).message}): is it running on this machine?`, { cause: err });
      }
      if (!st || !status) throw new Error(`cannot understand ${st ? `${proc}/status` : cpuStat}`);
      const fds = await openFds();
      const reading: Reading = {
        atMs,
        gauges: { rssBytes: status.rssBytes, threads: status.threads, hostCpus, ...(fds === undefined ? {} : { fds }) },
        counters: { cpuSeconds: st.cpuTicks / TICKS_PER_SECOND, ...disk },
      };
      // With `tid` the one thread counted is the busiest by definition.
      const perThread = tid === undefined ? threads : new Map([[String(tid), st.cpuTicks]]);
      const busiest = maxThreadCores(lastThreads, perThread, atMs - lastAt);
      if (busiest !== null) reading.gauges.maxThreadCpuCores = busiest;
      const demand = threadDemand(perThread.keys());
      const busiestDemand = maxThreadDemand(lastDemand, demand, atMs - lastAt);
      if (busiestDemand !== null) reading.gauges.maxThreadDemandCores = busiestDemand;
      lastThreads = perThread;
      lastDemand = demand;
      lastAt = atMs;
      return reading;
    },
    close: async () => {},
  };
}

/** A process's open-files limit (soft), or null when it cannot be read. */
export function fdLimitOf(pid: number, procRoot = '/proc'): number | null {
  try {
    return parseMaxOpenFiles(readFileSync(`${procRoot}/${pid}/limits`, 'utf8'));
  } catch {
    return null;
  }
}
