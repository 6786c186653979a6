/** An unknown key in a mapping: one problem at the key, with a did-you-mean hint or the keys allowed there. */
import { didYouMean } from '../shared/didyoumean.js';
import type { PathProblem, PathSegment } from './problems.js';
import { RESERVED_KEYS, reservedKeyProblem } from './reservedKeys.js';

export function unknownKey(parent: PathSegment[], key: string, allowed: readonly string[]): PathProblem {
  // The same problem the reserved-key walk reports (the loader keeps one of the two).
  if (RESERVED_KEYS.has(key)) return reservedKeyProblem([...parent, key]);
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
