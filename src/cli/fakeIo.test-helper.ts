import type { CliIo, SignalName } from './io.js';

/** A CliIo that keeps what a command writes and lets the test raise signals. */
export interface FakeIo extends CliIo {
  out: () => string;
  err: () => string;
  /** Calls every signal handler installed now (as Ctrl-C would); returns how many there were. */
  raise: (sig?: SignalName) => number;
  exits: number[];
}

export function fakeIo(env: Record<string, string | undefined> = {}): FakeIo {
  let out = '';
  let err = '';
  const handlers = new Set<(sig: SignalName) => void>();
  const exits: number[] = [];
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env,
    onSignal(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    exit: (code) => void exits.push(code),
    out: () => out,
    err: () => err,
    raise(sig = 'SIGINT') {
      const list = [...handlers];
      for (const h of list) h(sig);
      return list.length;
    },
    exits,
  };
}
