/**
 * A broker process on this machine, read from procfs: CPU (user + system) of the process or of one of
 * its threads, the busiest thread's CPU, RSS, threads, open fds and storage I/O. All reads are async
 * (libuv's pool), so a broker with many threads never blocks the coordinator's loop.
 *
 * `tid` is for the embedded aedes broker, which runs on the main thread of mqbench's own process: its CPU
 * is that thread's; RSS, fds and I/O can only be had for the whole process, load generator included.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import type { Clock } from '../shared/clock.js';
import { maxThreadCores, parseIo, parseStat, parseStatus, TICKS_PER_SECOND } from './procfs.js';
import type { Reading, Source } from './types.js';

export interface PidSourceOptions {
  pid: number;
  /** Count CPU of this thread only (e.g. the embedded broker on mqbench's main thread: tid = pid). */
  tid?: number;
  clock: Clock;
  /** Where procfs is mounted (tests). */
  procRoot?: string;
}

const errText = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

export function pidSource(opts: PidSourceOptions): Source {
  const { pid, tid, clock } = opts;
  const proc = `${opts.procRoot ?? '/proc'}/${pid}`;
  const cpuStat = tid === undefined ? `${proc}/stat` : `${proc}/task/${tid}/stat`;
  const notes: string[] = [];
  if (tid !== undefined) {
    notes.push(`CPU is thread ${tid}'s only; RSS, threads, fds and disk I/O are the whole process ${pid}` +
      (tid === pid ? ' (mqbench\'s own load generator included)' : ''));
  }
  let ioNote = false;
  let lastThreads = new Map<string, number>();
  let lastAt = 0;

  async function threadTicks(): Promise<Map<string, number>> {
    if (tid !== undefined) return new Map();
    const tids = await readdir(`${proc}/task`);
    const ticks = new Map<string, number>();
    await Promise.all(
      tids.map(async (t) => {
        // A thread may end between readdir and readFile: skip it.
        const s = await readFile(`${proc}/task/${t}/stat`, 'utf8').then(parseStat, () => null);
        if (s) ticks.set(t, s.cpuTicks);
      }),
    );
    return ticks;
  }

  async function openFds(): Promise<number> {
    // Linux ≥ 6.2 reports the number of open fds as the size of /proc/<pid>/fd: no 100k-entry listing each second.
    const st = await stat(`${proc}/fd`);
    return st.size > 0 ? st.size : (await readdir(`${proc}/fd`)).length;
  }

  async function io(): Promise<Reading['counters']> {
    try {
      const parsed = parseIo(await readFile(`${proc}/io`, 'utf8'));
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
    target: tid === undefined ? `pid ${pid}` : `pid ${pid} thread ${tid}`,
    notes,
    async read() {
      const atMs = clock.now();
      let statText: string;
      try {
        statText = await readFile(cpuStat, 'utf8');
      } catch (err) {
        throw new Error(`cannot read ${cpuStat} (${errText(err)}): is process ${pid} running on this machine?`);
      }
      const [st, status, fds, disk, threads] = await Promise.all([
        Promise.resolve(parseStat(statText)),
        readFile(`${proc}/status`, 'utf8').then(parseStatus),
        openFds(),
        io(),
        threadTicks(),
      ]);
      if (!st || !status) throw new Error(`cannot understand ${st ? `${proc}/status` : cpuStat}`);
      const reading: Reading = {
        atMs,
        gauges: { rssBytes: status.rssBytes, threads: status.threads, fds, hostCpus: cpus().length },
        counters: { cpuSeconds: st.cpuTicks / TICKS_PER_SECOND, ...disk },
      };
      // With `tid` the one thread counted is the busiest by definition.
      const perThread = tid === undefined ? threads : new Map([[String(tid), st.cpuTicks]]);
      const busiest = maxThreadCores(lastThreads, perThread, atMs - lastAt);
      if (busiest !== null) reading.gauges.maxThreadCpuCores = busiest;
      lastThreads = perThread;
      lastAt = atMs;
      return reading;
    },
    close: async () => {},
  };
}
