import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRegularFile, ReadProblem, readRegularFile } from './readLimited.js';

const dir = mkdtempSync(join(tmpdir(), 'mqbench-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problem(path: string, limit = 1024): Promise<[ReadProblem, ReadProblem]> {
  const a = await readRegularFile(path, limit).then(
    () => {
      throw new Error(`read ${path} without a problem`);
    },
    (e: unknown) => e,
  );
  const b = checkRegularFile(path, limit);
  expect(a).toBeInstanceOf(ReadProblem);
  expect(b).toBeInstanceOf(ReadProblem);
  return [a as ReadProblem, b as ReadProblem];
}

describe('readRegularFile, and checkRegularFile (the same verdict without reading)', () => {
  it('reads a regular file up to the limit; the check finds nothing wrong', async () => {
    const f = join(dir, 'ok.txt');
    writeFileSync(f, 'x'.repeat(1024));
    expect((await readRegularFile(f, 1024)).length).toBe(1024);
    expect(checkRegularFile(f, 1024)).toBeUndefined();
  });

  it('refuses a file one byte over the limit, with its size', async () => {
    const f = join(dir, 'big.txt');
    writeFileSync(f, 'x'.repeat(1025));
    for (const p of await problem(f)) expect(p).toMatchObject({ kind: 'tooBig', size: 1025, reason: 'it is 1025 bytes; the limit is 1024' });
  });

  it('refuses /dev/zero at once instead of reading it forever', async () => {
    const started = Date.now();
    for (const p of await problem('/dev/zero'))
      expect(p).toMatchObject({ kind: 'notRegular', reason: 'it is a character device (like /dev/zero), not a regular file' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    for (const p of await problem(fifo)) expect(p).toMatchObject({ kind: 'notRegular', reason: 'it is a FIFO (named pipe), not a regular file' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('names a directory, a missing file and a path through a file', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    for (const p of await problem(sub)) expect(p).toMatchObject({ kind: 'notRegular', reason: 'it is a directory, not a regular file' });
    for (const p of await problem(join(dir, 'nope.yaml'))) expect(p).toMatchObject({ kind: 'missing', reason: 'no such file' });
    const file = join(dir, 'ok.txt');
    for (const p of await problem(join(file, 'x.yaml'))) expect(p).toMatchObject({ kind: 'missing', reason: 'a part of the path is not a directory' });
  });
});
