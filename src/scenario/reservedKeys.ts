/**
 * Keys no scenario mapping may use: `__proto__`, `constructor` and `prototype` have a special meaning in
 * JavaScript objects, so a mapping that allows free keys (user properties, a QoS mix) would silently lose
 * `__proto__` or misread the others. They are refused everywhere, at the key, with one message.
 */
import type { PathProblem, PathSegment } from './problems.js';

export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function reservedKeyProblem(path: PathSegment[]): PathProblem {
  const key = String(path[path.length - 1]);
  return {
    path,
    message: `"${key}" cannot be used as a key`,
    hint: '__proto__, constructor and prototype are reserved names in JavaScript objects: rename the key',
    atKey: true,
  };
}

/** Every reserved key anywhere in the document (own keys only, at any depth). */
export function findReservedKeys(node: unknown, path: PathSegment[] = []): PathProblem[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return (node as unknown[]).flatMap((item, i) => findReservedKeys(item, [...path, i]));
  const out: PathProblem[] = [];
  for (const key of Object.keys(node)) {
    const at = [...path, key];
    if (RESERVED_KEYS.has(key)) out.push(reservedKeyProblem(at));
    else out.push(...findReservedKeys((node as Record<string, unknown>)[key], at));
  }
  return out;
}
