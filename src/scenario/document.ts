/**
 * From scenario text to the plain document the decoders read: binary data refused at its position, the YAML
 * as plain data (refused when empty, not a mapping, too deep or an alias bomb), and the MQTT version judged
 * as written. Each refusal is one problem at the start of the file (or at the binary byte).
 */
import type { ScenarioProblem } from '../shared/errors.js';
import { writtenText, type ParsedYaml } from './positions.js';

export function atStart(file: string, message: string, hint?: string): ScenarioProblem {
  return { file, line: 1, col: 1, path: '', message, hint };
}

/** Binary data: a NUL or other C0 control character that YAML text never contains. */
export function binaryProblem(file: string, text: string): ScenarioProblem | undefined {
  const bad = text.search(/[\u0000-\u0008\u000e-\u001f]/);
  if (bad < 0) return undefined;
  const before = text.slice(0, bad).split('\n');
  const line = before.length;
  const col = before[before.length - 1].length + 1;
  return { file, line, col, path: '', message: 'this is not a text file (it contains binary data)', hint: 'a scenario is a YAML file' };
}

/** Deepest nesting a scenario needs is about 6; anything far deeper (or circular, via aliases) is refused. */
const MAX_DEPTH = 64;

function tooDeep(node: unknown, depth = 0): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  return Object.values(node).some((child) => tooDeep(child, depth + 1));
}

/** The document as plain data, or a problem when it is empty, not a mapping, or an alias bomb. */
export function toData(file: string, parsed: ParsedYaml): { data: Record<string, unknown> } | { problem: ScenarioProblem } {
  let data: unknown;
  try {
    data = parsed.doc.toJS({ maxAliasCount: 100 });
  } catch {
    return { problem: atStart(file, 'the YAML uses too many aliases (*name) to expand') };
  }
  if (tooDeep(data)) return { problem: atStart(file, `the YAML is nested more than ${MAX_DEPTH} levels deep (or an alias refers to itself)`) };
  if (data === null || data === undefined) return { problem: atStart(file, 'the scenario file is empty', 'start with "name:" and "groups:"') };
  if (typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : 'a single value';
    return { problem: atStart(file, `a scenario must be a mapping of keys (name:, groups:, …), got ${got}`) };
  }
  return { data: data as Record<string, unknown> };
}

/**
 * YAML reads `mqttVersion: 4.0` as the number 4 (which would pass as 3.1.1): a version is judged by the
 * text the user wrote, so "4.0" is refused while 4, 5 and 5.0 still read as before. Returns the document
 * with that one value as written (a new object when it differs).
 */
export function versionAsWritten(parsed: ParsedYaml, data: Record<string, unknown>): Record<string, unknown> {
  const target = data.target;
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return data;
  const t = target as Record<string, unknown>;
  if (typeof t.mqttVersion !== 'number') return data;
  const written = writtenText(parsed, ['target', 'mqttVersion']);
  if (written === undefined || written === String(t.mqttVersion)) return data;
  return { ...data, target: { ...t, mqttVersion: written } };
}
