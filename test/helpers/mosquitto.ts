import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real mosquitto on a free loopback port, started and stopped by the test itself. */
export interface MosquittoHandle {
  url: string;
  port: number;
  /** The running broker process (changes on restart). */
  readonly process: ChildProcess;
  /** Kill the broker (SIGTERM, then SIGKILL) and leave it down. */
  kill(): Promise<void>;
  /** Kill it and start it again on the same port with the same configuration. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** What the running broker wrote to stderr (its log, with `log_dest stderr`). */
  log(): string;
}

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function startMosquitto(extraConfig: string[] = []): Promise<MosquittoHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'set_tcp_nodelay true',
      'persistence false',
      'max_queued_messages 100000',
      'log_dest stderr',
      'log_type error',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  let proc = await launch(conf, port);
  return {
    log: () => logs.get(proc) ?? '',
    url: `mqtt://127.0.0.1:${port}`,
    port,
    get process() {
      return proc;
    },
    kill: () => kill(proc),
    restart: async () => {
      await kill(proc);
      proc = await launch(conf, port);
    },
    stop: async () => {
      await kill(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGCONT');
  proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill('SIGKILL');
    await exited;
  }
}

const logs = new WeakMap<ChildProcess, string>();

async function launch(conf: string, port: number): Promise<ChildProcess> {
  const proc = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
    logs.set(proc, stderr);
  });
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited (${proc.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within 10 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return proc;
}
