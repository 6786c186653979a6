/**
 * Child mqbench processes for `run --processes N`: started with the same Node and CLI, their stderr passed
 * on line by line with a "[k/N]" prefix, their stdout (a segment's summary table) dropped, and Ctrl-C /
 * SIGTERM forwarded. Each child has its own process group, so a terminal's Ctrl-C reaches the parent only
 * and every child gets exactly one SIGINT from it (a second one, as for a single run, quits at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (dist/cli/main.js) next to this file. */
export const CLI_ENTRY = fileURLToPath(new URL('./main.js', import.meta.url));

export interface Child {
  label: string;
  process: ChildProcess;
  /** Resolves with the exit code (128 + signal number style codes as Node reports them; null when killed). */
  exited: Promise<number | null>;
}

export function startChild(label: string, args: string[], write: (text: string) => void): Child {
  const proc = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: process.env });
  proc.stdout?.resume();
  let partial = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') write(`[${label}] ${line}\n`);
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.once('error', (e) => {
      write(`[${label}] cannot start: ${e.message}\n`);
      resolve(null);
    });
    proc.once('close', (code) => {
      if (partial.trim() !== '') write(`[${label}] ${partial}\n`);
      resolve(code);
    });
  });
  return { label, process: proc, exited };
}

/**
 * Ctrl-C / SIGTERM go to every child still running (the first: they stop and write partial results; a second:
 * they quit at once). Returns whether a signal came, and the function that removes the handlers.
 */
export function forwardSignals(children: Child[], say: (text: string) => void): { interrupted: () => boolean; release: () => void } {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) say(`\nmqbench: ${sig}: stopping ${children.length} processes; they write partial results, which are merged (again to quit at once)\n`);
    else say(`\nmqbench: ${sig} again: the processes quit at once; merging whatever they wrote\n`);
    for (const c of children) {
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill(sig);
    }
  };
  // Children have their own process group: should this process end early, they must not run on alone.
  const onExit = () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  return {
    interrupted: () => count > 0,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('exit', onExit);
    },
  };
}
