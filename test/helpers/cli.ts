import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built CLI as a user would (in the repository root unless `cwd`); `onStderr` can react to output (e.g. send Ctrl-C). */
export function mqbench(
  args: string[],
  opts: {
    env?: Record<string, string>;
    cwd?: string;
    onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void;
    timeoutMs?: number;
    nice?: number;
  } = {},
): Promise<CliResult> {
  const started = Date.now();
  // `nice`: run at this scheduling priority (e.g. -10 as root), so that other load on a shared machine does not saturate the generator.
  const [cmd, argv] = opts.nice === undefined ? [process.execPath, [CLI, ...args]] : ['nice', ['-n', String(opts.nice), process.execPath, CLI, ...args]];
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const kill = (sig: NodeJS.Signals) => child.kill(sig);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => {
      stderr += String(d);
      opts.onStderr?.(stderr, kill);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
