/** Problems before they are positioned: a path into the document plus a short human message. */

/** One step of a path into the YAML document: a mapping key or a sequence index. */
export type PathSegment = string | number;

export interface PathProblem {
  path: PathSegment[];
  message: string;
  hint?: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
}

const IDENT = /^[A-Za-z_$][\w$-]*$/;

/** Prints a path the way users read it: `groups[1].publish.qos`; "" for the document root. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Shows a user value inside a message: strings quoted and shortened, other scalars as written. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
