/**
 * Nothing lost at the end, and runs that last what they report — through the built CLI:
 * - an --out that cannot be written (a directory, a file as parent, a read-only mount) exits 2 before any
 *   connection is made (a TCP listener standing in for the broker counts connections);
 * - when the place becomes unwritable during the run (its parent folder replaced by a regular file: permission
 *   bits do not stop root, a path through a file stops everyone), the summary still prints, the results go to
 *   a file in the temporary folder whose path is printed, and the exit code is 1;
 * - scenarios/connections.yaml (no publishers) holds its connections for the whole --duration.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-out-'));
const STACK = /\n\s+at .+:\d+:\d+\)?/;

/** A read-only tmpfs, when this machine lets the test mount one (root in a container usually may). */
function readOnlyMount(): string | null {
  const dir = join(tmp, 'ro');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}

describe('--out that cannot be written: exit 2 before anything connects', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  let ro: string | null = null;

  beforeAll(async () => {
    server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
    mkdirSync(join(tmp, 'a-directory'));
    writeFileSync(join(tmp, 'a-file'), 'x');
    ro = readOnlyMount();
  });
  afterAll(async () => {
    if (ro) execFileSync('umount', [ro]);
    await new Promise((r) => server.close(r));
  });

  const broker = () => `mqtt://127.0.0.1:${port}`;
  const cases: Array<[string, () => string[], string]> = [
    [
      'an existing directory',
      () => ['run', 'scenarios/fanout.yaml', '--broker', broker(), '--out', join(tmp, 'a-directory')],
      `cannot write results to --out ${join(tmp, 'a-directory')}: ${join(tmp, 'a-directory')} is a directory`,
    ],
    [
      'a file as parent folder',
      () => ['run', 'scenarios/fanout.yaml', '--broker', broker(), '--out', join(tmp, 'a-file', 'r.json')],
      `${join(tmp, 'a-file')} is a file, not a folder`,
    ],
    [
      'a file deeper up the path',
      () => ['run', 'scenarios/fanout.yaml', '--broker', broker(), '--out', join(tmp, 'a-file', 'x', 'y', 'r.json')],
      `${join(tmp, 'a-file')} is a file, not a folder`,
    ],
    [
      'a comparison run into a file',
      () => ['run', 'scenarios/fanout.yaml', '--broker', `a=${broker()}`, '--broker', `b=${broker()}`, '--out', join(tmp, 'a-file')],
      `${join(tmp, 'a-file')} is a file, not a folder`,
    ],
    [
      'capacity',
      () => ['capacity', 'scenarios/fanout.yaml', '--broker', broker(), '--slo', 'messages.lost==0', '--out', join(tmp, 'a-directory')],
      'is a directory',
    ],
    [
      '--processes',
      () => ['run', 'scenarios/fanout.yaml', '--broker', broker(), '--processes', '2', '--out', join(tmp, 'a-file', 'r.json')],
      'is a file, not a folder',
    ],
  ];

  it.each(cases)('%s', async (_label, args, expected) => {
    const before = connections;
    const r = await mqbench(args(), { timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).toContain('hint: give --out a');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toBe('');
    expect(connections - before).toBe(0); // not even the reachability probe
  });

  it('merge into a directory: exit 2 before reading anything', async () => {
    const r = await mqbench(['merge', '/nonexistent/shard.json', '--out', join(tmp, 'a-directory')], { timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a directory');
    expect(r.stderr).not.toContain('/nonexistent/shard.json');
  });

  it('a read-only file system (a read-only tmpfs, when one can be mounted here)', async (ctx) => {
    if (!ro) return ctx.skip();
    const before = connections;
    const r = await mqbench(['run', 'scenarios/fanout.yaml', '--broker', broker(), '--out', join(ro, 'sub', 'r.json')], { timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`no file can be created in ${ro} (the file system is read-only)`);
    expect(connections - before).toBe(0);
  });
});

describe('the results file becomes unwritable during the run', () => {
  it('summary printed, results rescued to the temp folder (path printed), exit 1', async () => {
    const parent = join(tmp, 'late');
    mkdirSync(parent);
    const rescue = join(tmp, 'rescue');
    mkdirSync(rescue);
    const out = join(parent, 'sub', 'r.json');
    let broken = false;
    const r = await mqbench(['run', 'scenarios/fanout.yaml', '--duration', '2s', '--out', out], {
      env: { TMPDIR: rescue },
      timeoutMs: 60_000,
      onStderr: (text) => {
        // Once the run has started (the check passed), a regular file takes the place of the results folder.
        if (!broken && text.includes('msg/s planned')) {
          broken = true;
          writeFileSync(join(parent, 'sub'), 'in the way');
        }
      },
    });
    expect(broken).toBe(true);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('Connections');
    expect(r.stdout).toMatch(/Delivery: all [\d,]+ expected messages received/);
    expect(r.stderr).toContain(`mqbench: cannot write the results to ${out}: `);
    const m = /mqbench: the results were written to (\S+) instead/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(m![1].startsWith(rescue)).toBe(true);
    const json = JSON.parse(readFileSync(m![1], 'utf8'));
    expect(json).toMatchObject({ schemaVersion: 1, status: 'complete', scenario: { name: 'fanout-commands' } });
    expect(json.summary.messages.sent).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(false);
    expect(r.stderr).not.toContain('results written to');
  });
});

describe('a scenario without publishers holds its connections for its whole duration', () => {
  const mosq = useMosquitto();
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('scenarios/connections.yaml --duration 3s: wall time and reported duration agree', async () => {
    const out = join(tmp, 'idle.json');
    let startedAt = 0;
    const r = await mqbench(['run', 'scenarios/connections.yaml', '--broker', mosq.url, '--duration', '3s', '--scale', '0.002', '--out', out], {
      timeoutMs: 30_000,
      onStderr: (text) => {
        if (!startedAt && text.includes('msg/s planned')) startedAt = Date.now();
      },
    });
    const wallMs = Date.now() - startedAt;
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.durationSec).toBe(3);
    expect(json.summary.connections).toMatchObject({ attempted: 20, succeeded: 20, failed: 0, lost: 0 });
    // --scale keeps each client's behaviour: 20 clients connect at 2,000/s × 0.002 = 4/s, so the connect phase
    // takes the scenario's 5 s, then the connections are held for the 3 s the results report.
    const connectMs = (20 / 4) * 1000;
    expect(wallMs).toBeGreaterThanOrEqual(connectMs + 3000 - 1000);
    expect(wallMs).toBeLessThan(connectMs + 3000 + 3000);
    expect(json.intervals.filter((row: { phase: string }) => row.phase === 'measure').length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toContain('Delivery: nothing to check: no group publishes');
  });
});
