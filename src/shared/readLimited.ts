/**
 * Reading a file the user named (a scenario, a PEM file, a results file) without trusting what it is: only a
 * regular file is read, and never more than a limit. `/dev/zero` would otherwise be read forever and a FIFO
 * would block until someone writes to it. The file is opened non-blocking and checked on the open handle
 * (fstat), so what is read is what was checked.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

export type ReadProblemKind = 'missing' | 'denied' | 'notRegular' | 'tooBig' | 'other';

/** Why a file was not read: `reason` is a short phrase for "cannot read X: <reason>". */
export class ReadProblem extends Error {
  constructor(
    readonly kind: ReadProblemKind,
    readonly reason: string,
    /** For tooBig: the size found (at least limit + 1). */
    readonly size?: number,
  ) {
    super(reason);
    this.name = 'ReadProblem';
  }
}

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
const CHUNK = 64 * 1024;

/** What a non-regular file is, in words ("a FIFO (named pipe)", …). */
export function describeNonRegular(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device (like /dev/zero)';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(info: Stats): ReadProblem {
  const what = describeNonRegular(info);
  return new ReadProblem('notRegular', what.startsWith('a ') ? `it is ${what}, not a regular file` : `it is ${what}`);
}

function tooBig(size: number, limit: number): ReadProblem {
  return new ReadProblem('tooBig', `it is ${size} bytes; the limit is ${limit}`, size);
}

function openProblem(err: unknown): ReadProblem {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ReadProblem('missing', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return new ReadProblem('denied', 'permission denied');
  if (code === 'ENOTDIR') return new ReadProblem('missing', 'a part of the path is not a directory');
  if (code === 'ENXIO') return new ReadProblem('notRegular', 'it is a socket, not a regular file');
  if (code === 'EISDIR') return new ReadProblem('notRegular', 'it is a directory, not a regular file');
  return new ReadProblem('other', err instanceof Error ? err.message : String(err));
}

/** Reads a regular file of at most `limit` bytes; throws ReadProblem otherwise (at once for devices and FIFOs). */
export async function readRegularFile(path: string, limit: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, FLAGS);
  } catch (err) {
    throw openProblem(err);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegular(info);
    if (info.size > limit) throw tooBig(info.size, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooBig(total, limit); // it grew while being read
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    throw err instanceof ReadProblem ? err : openProblem(err);
  } finally {
    await handle.close();
  }
}

/**
 * Whether `path` could be read by readRegularFile without reading it: a regular file of at most `limit` bytes
 * that this process may read. The problem, or undefined. (The read itself checks again, on the open handle.)
 */
export function checkRegularFile(path: string, limit: number): ReadProblem | undefined {
  try {
    const info = statSync(path);
    if (!info.isFile()) return notRegular(info);
    if (info.size > limit) return tooBig(info.size, limit);
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    return openProblem(err);
  }
}
