/**
 * What a command may touch of its process, passed in: output streams, the environment, signals and an
 * immediate exit. `realIo` is the process; tests hand a command a fake one (buffers, a fixed env, signals
 * they raise themselves) and call it in-process.
 */
import { ExitCode } from '../shared/errors.js';

export interface OutStream {
  write(text: string): unknown;
  /** An interactive terminal (colours, the progress line rewritten in place). */
  isTTY?: boolean;
  columns?: number;
}

export type SignalName = 'SIGINT' | 'SIGTERM';

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Calls `handler` on Ctrl-C / SIGTERM until the returned function is called. */
  onSignal(handler: (sig: SignalName) => void): () => void;
  /** Quits at once (a second Ctrl-C). Without it, the command returns as after the first one. */
  exit?(code: number): void;
}

export const realIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onSignal(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
  exit: (code) => process.exit(code),
};

/**
 * Ctrl-C / SIGTERM abort the run (connections closed, partial results written); a second one quits at once.
 * Returns the function that removes the handler.
 */
export function abortOnSignals(io: CliIo, abort: AbortController): () => void {
  let interrupts = 0;
  return io.onSignal((sig) => {
    interrupts++;
    if (interrupts > 1) {
      io.exit?.(ExitCode.interrupted);
      return;
    }
    io.stderr.write(`\nmqbench: ${sig}: stopping, closing connections and writing partial results (again to quit at once)\n`);
    abort.abort();
  });
}

/** A line-writing helper: `say(io)('text')` writes "text" to stderr (no newline added). */
export const errOf =
  (io: CliIo) =>
  (text: string): void =>
    void io.stderr.write(text);
