/**
 * Where results go, checked before a run and rescued after it. A run can take an hour: finding out at the end
 * that `--out` names a directory, sits under a file, or is on a read-only file system loses all of it. So the
 * place is checked before anything connects (by creating and removing a probe file — the only check that also
 * holds for root and for read-only mounts), and if writing still fails at the end the results go to a file in
 * the temporary folder instead, whose path the caller prints.
 */
import { randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Results } from '../metrics/resultsFile.js';
import { describeNonRegular } from '../shared/readLimited.js';
import { writeResultsFile } from './json.js';

function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EDQUOT') return 'the disk quota is used up';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EEXIST') return 'a file stands where its folder should be';
  return err instanceof Error ? err.message : String(err);
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** The nearest folder that exists on the way up from `dir`, or the problem (a file where a folder must be). */
async function existingFolder(dir: string): Promise<{ folder: string } | { problem: string }> {
  let at = resolve(dir);
  for (;;) {
    const info = await statOrNull(at);
    if (info?.isDirectory()) return { folder: at };
    if (info) return { problem: `${at} is ${info.isFile() ? 'a file' : describeNonRegular(info)}, not a folder` };
    const up = dirname(at);
    if (up === at) return { problem: `no folder of ${dir} exists` };
    at = up;
  }
}

/** Creates and removes a probe file in `folder`: the honest test of "can a file be written here". */
async function probe(folder: string): Promise<string | null> {
  const path = join(folder, `.mqbench-write-check-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(path, 'wx');
    await handle.close();
    await rm(path, { force: true });
    return null;
  } catch (err) {
    return errnoReason(err);
  }
}

/**
 * Why a results file cannot be written at `file` (or, with `folder`, results files into the folder `file`),
 * or null when it can. Nothing is created: only a probe file, removed at once.
 */
export async function outPathProblem(file: string, opts: { folder?: boolean } = {}): Promise<string | null> {
  try {
    const info = await statOrNull(file);
    if (opts.folder) {
      if (info && !info.isDirectory()) return `${file} is a file, not a folder`;
    } else if (info?.isDirectory()) return `${file} is a directory`;
    else if (info && !info.isFile()) return `${file} is ${describeNonRegular(info)}`;
    const found = await existingFolder(opts.folder ? file : dirname(file));
    if ('problem' in found) return found.problem;
    const denied = await probe(found.folder);
    return denied === null ? null : `no file can be created in ${found.folder} (${denied})`;
  } catch (err) {
    return errnoReason(err);
  }
}

export type SaveOutcome =
  | { ok: true; path: string }
  /** Not written where asked: `reason` says why, `fallback` is where the results are now (null: nowhere). */
  | { ok: false; path: string; reason: string; fallback: string | null; fallbackReason?: string };

/** The rescue file for results that could not be written to `path`: in the temporary folder, never overwriting. */
export function fallbackPath(path: string, dir = tmpdir()): string {
  const base = basename(path).replace(/\.json$/i, '') || 'results';
  return join(dir, `mqbench-${base}-${randomBytes(4).toString('hex')}.json`);
}

/** Writes the results to `path`; if that fails, to a fallback file. Never throws: the outcome says what happened. */
export async function saveResults(path: string, results: Results, fallbackDir?: string): Promise<SaveOutcome> {
  try {
    await writeResultsFile(path, results);
    return { ok: true, path };
  } catch (err) {
    const reason = errnoReason(err);
    const fallback = fallbackPath(path, fallbackDir);
    try {
      await writeResultsFile(fallback, results);
      return { ok: false, path, reason, fallback };
    } catch (err2) {
      return { ok: false, path, reason, fallback: null, fallbackReason: errnoReason(err2) };
    }
  }
}
