/** Turns zod issues into short human problems: one per unknown key, with a did-you-mean hint. */
import type { z } from 'zod';
import { didYouMean } from './didyoumean.js';
import type { PathProblem, PathSegment } from './problems.js';
import { RESERVED_KEYS, reservedKeyProblem } from './reservedKeys.js';
import { allowedKeysAt } from './schema.js';

function unknownKey(parent: PathSegment[], key: string): PathProblem {
  // The same problem the reserved-key walk reports (the loader keeps one of the two).
  if (RESERVED_KEYS.has(key)) return reservedKeyProblem([...parent, key]);
  const allowed = allowedKeysAt(parent);
  const guess = didYouMean(key, allowed);
  const hint =
    key === '<<'
      ? 'YAML merge keys (<<: *anchor) are not supported: write the keys out'
      : guess
        ? `did you mean "${guess}"?`
        : allowed.length
          ? `allowed keys: ${allowed.join(', ')}`
          : undefined;
  return { path: [...parent, key], message: 'unknown key', hint, atKey: true };
}

function hintOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'custom') return undefined;
  const hint = (issue.params as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' ? hint : undefined;
}

/**
 * Our own messages (all lower-case first) pass through; zod's generic capitalised ones ("Invalid input: …"),
 * which the schema should never let through, are replaced by a neutral phrase rather than dumped.
 */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' || !/^[A-Z]/.test(issue.message)) return issue.message;
  return 'is not valid here';
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[]): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(unknownKey(path, key));
    } else if (issue.code === 'invalid_key') {
      // A record key that failed its own check (user property names): reported at the key, with its reason.
      const inner = issue.issues[0];
      out.push({ path, message: inner ? messageOf(inner) : 'is not a valid key', hint: inner ? hintOf(inner) : undefined, atKey: true });
    } else if (issue.code === 'invalid_union') {
      // Not produced by our schema; report the first branch's first issue rather than a dump.
      const first = issue.errors[0]?.[0];
      out.push({ path, message: first ? messageOf(first) : 'is not valid here' });
    } else {
      out.push({ path, message: messageOf(issue), hint: hintOf(issue) });
    }
  }
  return out;
}
