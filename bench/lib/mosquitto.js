// Starts a private mosquitto on a free loopback port for one measurement, and stops it again.
// It runs under `ulimit -n 20000` (this machine's hard limit) so it can hold ~19,900 clients.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
export const OPEN_FILES = 20000;

export function mosquittoVersion() {
  try {
    // `mosquitto -h` prints its version on the first line and exits non-zero.
    execFileSync(MOSQUITTO_BIN, ['-h'], { stdio: 'pipe', timeout: 5000 });
  } catch (err) {
    const out = String(err.stdout ?? '') + String(err.stderr ?? '');
    const m = /mosquitto version (\S+)/.exec(out);
    if (m) return m[1];
  }
  return 'unknown';
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function startMosquitto() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-bench-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'set_tcp_nodelay true',
      'max_queued_messages 1000000',
      'max_connections -1',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      '',
    ].join('\n'),
  );
  // Raise the soft open-files limit to the hard one (20,000 here) in the shell, then become mosquitto.
  const proc = spawn('/bin/sh', ['-c', `ulimit -n ${OPEN_FILES} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" -c "$1"`, MOSQUITTO_BIN, conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited (${proc.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`mosquitto did not listen on ${port} within 10 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    pid: proc.pid,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The soft open-files limit of a running process (to check mosquitto really got it). */
export function openFilesOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
    const m = /^Max open files\s+(\S+)/m.exec(text);
    return m ? m[1] : 'unknown';
  } catch {
    return 'unknown';
  }
}
