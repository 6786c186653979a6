import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeResults } from './fixture.test-helper.js';
import { fallbackPath, outPathProblem, saveResults } from './outPath.js';

const dir = mkdtempSync(join(tmpdir(), 'mqbench-outpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'folder'));
writeFileSync(join(dir, 'file'), 'x');

describe('outPathProblem', () => {
  it('accepts a new file in an existing folder, in folders still to be made, and an existing file', async () => {
    expect(await outPathProblem(join(dir, 'r.json'))).toBeNull();
    expect(await outPathProblem(join(dir, 'new', 'deeper', 'r.json'))).toBeNull();
    expect(await outPathProblem(join(dir, 'file'))).toBeNull();
    expect(await outPathProblem(join(dir, 'folder'), { folder: true })).toBeNull();
    expect(await outPathProblem(join(dir, 'not-yet'), { folder: true })).toBeNull();
  });

  it('names a directory given as the file, a file given as the folder, and a file on the way', async () => {
    expect(await outPathProblem(join(dir, 'folder'))).toBe(`${join(dir, 'folder')} is a directory`);
    expect(await outPathProblem(join(dir, 'file'), { folder: true })).toBe(`${join(dir, 'file')} is a file, not a folder`);
    expect(await outPathProblem(join(dir, 'file', 'a', 'r.json'))).toBe(`${join(dir, 'file')} is a file, not a folder`);
    expect(await outPathProblem('/dev/null')).toBe('/dev/null is a character device (like /dev/zero)');
  });

  it('leaves nothing behind (the probe file is removed, no folder is made)', async () => {
    const before = readdirSync(dir).sort();
    await outPathProblem(join(dir, 'new', 'deeper', 'r.json'));
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('saveResults', () => {
  it('writes where asked when it can', async () => {
    const out = join(dir, 'ok.json');
    expect(await saveResults(out, makeResults())).toEqual({ ok: true, path: out });
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
  });

  it('rescues the results to the fallback folder when the place is gone, and says why', async () => {
    const rescue = join(dir, 'rescue');
    mkdirSync(rescue);
    const s = await saveResults(join(dir, 'file', 'r.json'), makeResults(), rescue);
    expect(s).toMatchObject({ ok: false, reason: 'a file stands where its folder should be' });
    if (s.ok || !s.fallback) throw new Error('expected a fallback');
    expect(s.fallback.startsWith(join(rescue, 'mqbench-r-'))).toBe(true);
    expect(JSON.parse(readFileSync(s.fallback, 'utf8')).scenario.name).toBe('fanout-commands');
  });

  it('says so when even the fallback cannot be written', async () => {
    const s = await saveResults(join(dir, 'file', 'r.json'), makeResults(), join(dir, 'file', 'nope'));
    expect(s).toMatchObject({ ok: false, fallback: null });
  });

  it('never reuses a fallback name', () => {
    expect(fallbackPath('/x/run.json', '/t')).not.toBe(fallbackPath('/x/run.json', '/t'));
    expect(fallbackPath('/x/run.json', '/t')).toMatch(/^\/t\/mqbench-run-[0-9a-f]{8}\.json$/);
  });
});
