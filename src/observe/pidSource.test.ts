import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import { pidSource } from './pidSource.js';

/** A procfs look-alike in a temp folder: the real files are checked against a real broker in test/integration. */
const stat = (pid: number, utime: number, stime: number, threads: number) =>
  `${pid} (broker) S 1 ${pid} ${pid} 0 -1 4194560 1093 0 0 0 ${utime} ${stime} 0 0 20 0 ${threads} 0 190234 12345678 1789 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fakeProc(pid: number, threads: Record<number, [number, number]>, opts: { io?: boolean } = {}) {
  root = mkdtempSync(join(tmpdir(), 'mqbench-proc-'));
  const dir = join(root, String(pid));
  mkdirSync(join(dir, 'fd'), { recursive: true });
  const write = (t: Record<number, [number, number]>) => {
    const total = Object.values(t).reduce(([u, s], [a, b]) => [u + a, s + b], [0, 0]);
    writeFileSync(join(dir, 'stat'), stat(pid, total[0], total[1], Object.keys(t).length));
    writeFileSync(join(dir, 'status'), `Name:\tbroker\nVmRSS:\t  2048 kB\nThreads:\t${Object.keys(t).length}\n`);
    for (const [tid, [u, s]] of Object.entries(t)) {
      mkdirSync(join(dir, 'task', tid), { recursive: true });
      writeFileSync(join(dir, 'task', tid, 'stat'), stat(Number(tid), u, s, 1));
    }
  };
  write(threads);
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'fd', String(i)), '');
  if (opts.io !== false) writeFileSync(join(dir, 'io'), 'rchar: 1\nread_bytes: 4096\nwrite_bytes: 512\n');
  return { write };
}

describe('pidSource (on a procfs look-alike)', () => {
  it('reads CPU seconds, RSS, threads, fds, disk I/O; the busiest thread from the second reading on', async () => {
    const clock = new FakeClock(1e12);
    const proc = fakeProc(42, { 42: [100, 50], 43: [10, 0] });
    const src = pidSource({ pid: 42, clock, procRoot: root });
    const a = await src.read();
    expect(a).toMatchObject({
      atMs: 1e12,
      gauges: { rssBytes: 2048 * 1024, threads: 2 },
      counters: { cpuSeconds: 1.6, diskReadBytes: 4096, diskWriteBytes: 512 },
    });
    expect(a!.gauges.maxThreadCpuCores).toBeUndefined();
    // not procfs: the source lists the fd directory instead of trusting its size
    expect(a!.gauges.fds).toBe(3);
    proc.write({ 42: [150, 50], 43: [90, 10] }); // over 2 s: thread 42 +0.5 s, thread 43 +0.9 s
    clock.advance(2000);
    const b = await src.read();
    expect(b!.counters.cpuSeconds).toBeCloseTo(3, 9);
    expect(b!.gauges.maxThreadCpuCores).toBeCloseTo(0.45, 9);
  });

  it('with tid counts that thread only, and says what the other figures cover', async () => {
    const clock = new FakeClock(1e12);
    const proc = fakeProc(42, { 42: [100, 0], 43: [500, 0] });
    const src = pidSource({ pid: 42, tid: 42, clock, procRoot: root });
    expect((await src.read())!.counters.cpuSeconds).toBe(1);
    proc.write({ 42: [150, 0], 43: [900, 0] });
    clock.advance(1000);
    const b = await src.read();
    expect(b!.counters.cpuSeconds).toBe(1.5);
    expect(b!.gauges.maxThreadCpuCores).toBeCloseTo(0.5, 9);
    expect(src.target).toBe("embedded broker: mqbench's main thread (pid 42)");
    expect(src.notes[0]).toMatch(/CPU is thread 42's only; RSS, threads, fds and disk I\/O are the whole process 42 \(mqbench's own load generator included\)/);
  });

  it('leaves disk I/O out with a note when /proc/<pid>/io cannot be read', async () => {
    fakeProc(42, { 42: [1, 1] }, { io: false });
    const src = pidSource({ pid: 42, clock: new FakeClock(), procRoot: root });
    const r = await src.read();
    expect(r!.counters.diskReadBytes).toBeUndefined();
    expect(src.notes).toEqual([`disk I/O left out: cannot read ${root}/42/io (ENOENT)`]);
  });

  it('rejects with the reason when the process is not there', async () => {
    fakeProc(42, { 42: [1, 1] });
    await expect(pidSource({ pid: 7, clock: new FakeClock(), procRoot: root }).read()).rejects.toThrow(
      /cannot read procfs for process 7 \(ENOENT.*\): is it running on this machine\?/,
    );
  });
});
