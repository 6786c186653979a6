// Runs the compiled mqbench CLI (`node <dist>/cli/main.js …`) as a user would, for the scale figures that
// need what only the CLI does (--processes). Bounded: after `timeoutMs` it gets Ctrl-C (SIGINT, so it still
// writes and merges partial results), and SIGKILL 20 s later if it is still there.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function startCli(distDir, args, { cwd, timeoutMs }) {
  const started = Date.now();
  const child = spawn(process.execPath, [join(distDir, 'cli', 'main.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  let timedOut = false;
  const soft = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT');
  }, timeoutMs);
  const hard = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 20_000);
  const done = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(soft);
      clearTimeout(hard);
      resolve({ code, signal, stdout, stderr, timedOut, wallSec: (Date.now() - started) / 1000 });
    });
  });
  return { pid: child.pid, started, done, stderr: () => stderr };
}

/** The last lines of a process's stderr, for a failure message. */
export function tail(text, lines = 8) {
  return text.trim().split('\n').slice(-lines).join('\n');
}
