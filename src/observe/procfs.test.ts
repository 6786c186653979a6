import { describe, expect, it } from 'vitest';
import { maxThreadCores, maxThreadDemand, parseIo, parseMaxOpenFiles, parseSchedstat, parseStat, parseStatus } from './procfs.js';

// A real /proc/<pid>/stat line of mosquitto (fields 14-15 utime/stime = 1234/567, field 20 num_threads = 1).
const STAT =
  '4242 (mosquitto) S 1 4242 4242 0 -1 4194560 1093 0 0 0 1234 567 0 0 20 0 1 0 190234 12345678 1789 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n';

describe('parseStat', () => {
  it('adds utime and stime (ticks) and reads the thread count', () => {
    expect(parseStat(STAT)).toEqual({ cpuTicks: 1234 + 567, threads: 1 });
  });

  it('counts fields from the last ")" so odd command names do not shift them', () => {
    const odd = STAT.replace('(mosquitto)', '(we ird) (name))');
    expect(parseStat(odd)).toEqual({ cpuTicks: 1801, threads: 1 });
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('')).toBeNull();
    expect(parseStat('4242 (x) S 1 2')).toBeNull();
  });
});

describe('parseStatus', () => {
  it('reads VmRSS in bytes and Threads', () => {
    const text = 'Name:\tbeam.smp\nVmPeak:\t 999 kB\nVmRSS:\t  136364 kB\nRssAnon:\t 1 kB\nThreads:\t36\n';
    expect(parseStatus(text)).toEqual({ rssBytes: 136_364 * 1024, threads: 36 });
  });

  it('returns null without VmRSS (a zombie) or Threads', () => {
    expect(parseStatus('Name:\tx\nThreads:\t1\n')).toBeNull();
    expect(parseStatus('VmRSS:\t 1 kB\n')).toBeNull();
  });
});

describe('parseIo', () => {
  it('reads storage read_bytes and write_bytes (not rchar/wchar)', () => {
    const text = 'rchar: 900\nwchar: 800\nsyscr: 1\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';
    expect(parseIo(text)).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(parseIo('rchar: 1\n')).toBeNull();
  });
});

describe('maxThreadCores', () => {
  const cases: [string, Record<string, number>, Record<string, number>, number, number | null][] = [
    ['one thread at 100 % of a core', { 1: 0 }, { 1: 100 }, 1000, 1],
    ['the busiest of three over 2 s', { 1: 10, 2: 10, 3: 10 }, { 1: 60, 2: 210, 3: 11 }, 2000, 1],
    ['a thread seen once is left out', { 1: 0 }, { 1: 50, 9: 5000 }, 1000, 0.5],
    ['no common thread', { 1: 0 }, { 2: 50 }, 1000, null],
    ['no time elapsed', { 1: 0 }, { 1: 50 }, 0, null],
  ];
  it.each(cases)('%s', (_name, before, after, ms, want) => {
    const m = (o: Record<string, number>) => new Map(Object.entries(o));
    const got = maxThreadCores(m(before), m(after), ms);
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want, 9);
  });
});

describe('parseMaxOpenFiles', () => {
  it('reads the soft limit of /proc/<pid>/limits', () => {
    const text =
      'Limit                     Soft Limit           Hard Limit           Units     \nMax cpu time              unlimited            unlimited            seconds   \nMax open files            1024                 524288               files     \n';
    expect(parseMaxOpenFiles(text)).toBe(1024);
    expect(parseMaxOpenFiles(text.replace('1024   ', 'unlimited'))).toBeNull();
    expect(parseMaxOpenFiles('nothing')).toBeNull();
  });
});

describe('schedstat', () => {
  it("reads running and waiting ns, and the busiest thread's demand in cores", () => {
    expect(parseSchedstat('6635069165 10744316923 6697\n')).toEqual({ runNs: 6635069165, waitNs: 10744316923 });
    expect(parseSchedstat('')).toBeNull();
    // thread 2 ran 0.5 s and waited 0.45 s in one second: 0.95 cores of demand; thread 3 is new: left out
    expect(
      maxThreadDemand(
        new Map([
          ['1', 0],
          ['2', 1e9],
        ]),
        new Map([
          ['1', 1e8],
          ['2', 1.95e9],
          ['3', 5e9],
        ]),
        1000,
      ),
    ).toBeCloseTo(0.95, 9);
    expect(maxThreadDemand(new Map(), new Map([['1', 1]]), 1000)).toBeNull();
  });
});
