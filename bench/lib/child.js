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

/**
 * The child's side: runs `main` within `timeoutMs` and sends its single result (or error) to the parent, then
 * exits; run by hand (no parent), it prints the result. `cleanup` runs before either reply.
 * @param {() => Promise<unknown>} main @param {{ name: string, timeoutMs: number, cleanup?: () => void }} options
 */
export async function contender(main, { name, timeoutMs, cleanup = () => {} }) {
  const hardStop = setTimeout(() => {
    process.send?.({ error: `${name} timed out` });
    process.exit(1);
  }, timeoutMs);
  hardStop.unref();
  try {
    const result = await main();
    cleanup();
    if (process.send) process.send({ result }, () => process.exit(0));
    else (console.log(JSON.stringify(result, null, 2)), process.exit(0));
  } catch (err) {
    cleanup();
    if (process.send) process.send({ error: err.stack ?? String(err) }, () => process.exit(1));
    else (console.error(err), process.exit(1));
  }
}
