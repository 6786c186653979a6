/**
 * `${VAR}` substitution in every string value of the parsed document, from an environment the caller passes
 * (this module never reads process.env). `$${` is a literal `${`. Values that came from the environment are
 * treated as secrets: their paths are recorded, and no message here ever contains a substituted value.
 */
import { formatPath, type PathProblem, type PathSegment } from './problems.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvResult {
  /** The document with every `${VAR}` replaced. */
  value: unknown;
  problems: PathProblem[];
  /** Dotted paths (as printed by formatPath, e.g. "target.password") whose value used the environment. */
  secretPaths: string[];
  /** The same paths as segments. */
  secretPathSegments: PathSegment[][];
  /** Every substituted string and every environment value used, so callers can scrub them from output. */
  secretValues: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface StringResult {
  value: string;
  used: string[];
  problems: Array<{ message: string; hint?: string }>;
}

/** Substitutes one string. Unknown variables and malformed references become problems (the text is kept). */
export function substituteString(text: string, env: Env): StringResult {
  const used: string[] = [];
  const problems: StringResult['problems'] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i++;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end < 0) {
      problems.push({ message: 'unclosed ${ in value', hint: 'write ${NAME}, or $${ for a literal ${' });
      out += text.slice(i);
      break;
    }
    const name = text.slice(i + 2, end);
    if (!NAME.test(name)) {
      problems.push({
        message: `invalid environment variable name ${JSON.stringify(name)}`,
        hint: 'names are letters, digits and _, e.g. ${MQTT_PASSWORD}; write $${ for a literal ${',
      });
    } else {
      const v = env[name];
      if (v === undefined) problems.push({ message: `environment variable ${name} is not set` });
      else {
        out += v;
        used.push(name);
      }
    }
    i = end + 1;
  }
  return { value: out, used, problems };
}

/** Walks the whole document (mappings, sequences) and substitutes every string scalar value (not keys). */
export function substituteEnv(data: unknown, env: Env): EnvResult {
  const result: EnvResult = { value: undefined, problems: [], secretPaths: [], secretPathSegments: [], secretValues: [] };
  const seen = new Set<string>();
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      if (!node.includes('${')) return node;
      const r = substituteString(node, env);
      for (const p of r.problems) result.problems.push({ path, ...p });
      if (r.used.length) {
        result.secretPaths.push(formatPath(path));
        result.secretPathSegments.push(path);
        for (const name of r.used) {
          const v = env[name] ?? '';
          if (v && !seen.has(v)) {
            seen.add(v);
            result.secretValues.push(v);
          }
        }
        if (r.value && !seen.has(r.value)) {
          seen.add(r.value);
          result.secretValues.push(r.value);
        }
      }
      return r.value;
    }
    if (Array.isArray(node)) return (node as unknown[]).map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        // defineProperty, not assignment: a "__proto__" key must stay a plain (and then unknown) key.
        Object.defineProperty(out, k, { value: walk(v, [...path, k]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return node;
  };
  result.value = walk(data, []);
  return result;
}
