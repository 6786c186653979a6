/**
 * Credentials written into a broker URL (mqtt://user:pass@host): percent-decoded the same way by both
 * drivers and by validation. A `%` that does not start a valid escape (%25 for "%" itself) makes the URL
 * invalid rather than guessed at: "p%zz" could be meant literally, "p%41" could not be told apart from "pA".
 * Messages never quote the credentials.
 */

export interface UrlCredentials {
  username?: string;
  password?: string;
}

export const PERCENT_HINT = 'in a URL, write a literal % as %25 (and @ as %40, : as %3A, / as %2F), or set target.username / target.password instead';

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** The decoded user name and password of `url`, or the problem (naming which part, never its text). */
export function urlCredentials(url: URL): UrlCredentials | string {
  const out: UrlCredentials = {};
  for (const part of ['username', 'password'] as const) {
    if (!url[part]) continue;
    const value = decode(url[part]);
    if (value === null) return `the ${part === 'username' ? 'user name' : 'password'} in the URL has a % that does not start a valid escape`;
    out[part] = value;
  }
  return out;
}
