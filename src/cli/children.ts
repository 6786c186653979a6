/**
 * Child mqbench processes for `run --processes N`: started with the same Node and CLI, their stderr passed
 * on line by line with a "[k/N]" prefix, their stdout (a segment's summary table) dropped, and Ctrl-C /
 * SIGTERM forwarded. Each child has its own process group, so a terminal's Ctrl-C reaches the parent only
 * and every child gets exactly one SIGINT from it (a second one, as for a single run, quits at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './io.js';

/** The built CLI (dist/cli/main.js) next to this file. */
export const CLI_ENTRY = fileURLToPath(new URL('./main.js', import.meta.url));

export interface Child {
  label: string;
  process: ChildProcess;
  /** Resolves with the exit code (128 + signal number style codes as Node reports them; null when killed). */
  exited: Promise<number | null>;
}

/** In a child's environment: publishing waits for the parent's start message (see ipcStartGate). */
export const START_GATE_ENV = 'MQBENCH_START_GATE';

/** `gated`: the child gets an IPC channel and waits at the start barrier (startBarrier) instead of a --start-at. */
export function startChild(label: string, args: string[], io: CliIo, gated: boolean): Child {
  const write = (text: string) => void io.stderr.write(text);
  const proc = spawn(process.execPath, [CLI_ENTRY, ...args], {
    stdio: gated ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: gated ? { ...io.env, [START_GATE_ENV]: 'ipc' } : { ...io.env },
  });
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
export function forwardSignals(children: Child[], io: CliIo): { interrupted: () => boolean; release: () => void } {
  let count = 0;
  const release = io.onSignal((sig) => {
    count++;
    if (count === 1)
      io.stderr.write(`\nmqbench: ${sig}: stopping ${children.length} processes; they write partial results, which are merged (again to quit at once)\n`);
    else io.stderr.write(`\nmqbench: ${sig} again: the processes quit at once; merging whatever they wrote\n`);
    for (const c of children) {
      if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill(sig);
    }
  });
  // Children have their own process group: should this process end early, they must not run on alone.
  const onExit = () => {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGTERM');
  };
  process.on('exit', onExit);
  return {
    interrupted: () => count > 0,
    release: () => {
      release();
      process.off('exit', onExit);
    },
  };
}

const isStart = (m: unknown): m is { type: 'start'; at: number } =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'start' && typeof (m as { at?: unknown }).at === 'number';

/**
 * Parent side of the start barrier: once every child has said 'connected' (or has exited), each connected one
 * is told to start publishing `leadMs` from now, all at the same epoch ms. Resolves with that time, or null
 * when none connected.
 */
export function startBarrier(children: Child[], leadMs: number): Promise<{ at: number; connected: number } | null> {
  const connected = new Set<Child>();
  const alive = (c: Child) => c.process.exitCode === null && c.process.signalCode === null;
  return new Promise((resolve) => {
    let released = false;
    const check = () => {
      if (released || children.some((c) => !connected.has(c) && alive(c))) return;
      released = true;
      const ready = [...connected].filter(alive);
      if (ready.length === 0) return resolve(null);
      const at = Date.now() + leadMs;
      for (const c of ready) c.process.send?.({ type: 'start', at });
      resolve({ at, connected: ready.length });
    };
    for (const c of children) {
      c.process.on('message', (m: unknown) => {
        if ((m as { type?: unknown })?.type !== 'connected') return;
        connected.add(c);
        check();
      });
      void c.exited.then(check);
    }
  });
}

/**
 * Child side: in a process started by startChild(…, gated), the start gate for the coordinator — it tells the
 * parent 'connected' and resolves with the start time the parent sends back. undefined in any other process.
 * `close` drops the channel so it does not keep the process alive once the run is over.
 */
export function ipcStartGate(env: Readonly<Record<string, string | undefined>>): { gate: () => Promise<number>; close: () => void } | undefined {
  if (env[START_GATE_ENV] !== 'ipc' || !process.send) return undefined;
  let listener: ((m: unknown) => void) | null = null;
  const close = () => {
    if (listener) process.off('message', listener);
    listener = null;
    if (process.connected) process.disconnect();
  };
  const gate = () =>
    new Promise<number>((resolve, reject) => {
      listener = (m: unknown) => {
        if (isStart(m)) resolve(m.at);
      };
      process.on('message', listener);
      process.once('disconnect', () => reject(new Error('the parent process (run --processes) went away before the start')));
      process.send!({ type: 'connected' });
    });
  return { gate, close };
}
