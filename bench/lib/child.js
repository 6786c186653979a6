// Runs one contender in its own Node process and waits for its single result message, within a time limit.
import { fork } from 'node:child_process';

/** @param {string} script @param {object} cfg @param {{ timeoutMs: number, execArgv?: string[] }} options */
export function runChild(script, cfg, { timeoutMs, execArgv = [] }) {
  return new Promise((resolve) => {
    const child = fork(script, [JSON.stringify({ ...cfg, timeoutMs })], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv });
    let stderr = '';
    let reply = null;
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('message', (m) => (reply = m));
    // The child stops itself at timeoutMs; this is the backstop if it cannot.
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 15_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      if (reply?.result) return resolve({ ok: true, result: reply.result });
      const why = reply?.error ?? `exited with ${signal ?? code}`;
      resolve({ ok: false, error: `${why}${stderr.trim() ? `\n${stderr.trim().split('\n').slice(-8).join('\n')}` : ''}` });
    });
  });
}
