/** Exit codes (DESIGN.md §4). Read by CI scripts: keep them stable. */
export const ExitCode = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  thresholds: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: printed without a stack trace, exits with `exitCode`. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.usage,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** One problem found in a scenario file, positioned for `file:line:col path: message`. */
export interface ScenarioProblem {
  file: string;
  line: number;
  col: number;
  /** Dotted path into the document, e.g. "groups[1].publish.qos"; "" for the document root. */
  path: string;
  message: string;
  hint?: string;
}

export function formatProblem(p: ScenarioProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  const path = p.path ? ` ${p.path}:` : '';
  const hint = p.hint ? ` (hint: ${p.hint})` : '';
  return `${where}${path} ${p.message}${hint}`;
}
