/**
 * Rules of a publish payload (on the checked document): a payload that carries mqbench's header is at least as
 * large as the compact header; `header: false` sends the user's own bytes (text, base64, hex, a file, or files
 * cycled), one source at most, never resized, and without the header there is nothing to correlate a response
 * with. Payload files (relative to the scenario's directory) must be readable regular files.
 */
import { resolve } from 'node:path';
import { checkRegularFile, ReadProblem } from '../shared/readLimited.js';
import { validItems, validOr } from './decode.js';
import { headerSizeProblem } from './fieldParsers.js';
import type { PathProblem, PathSegment } from './problems.js';
import type { CheckedScenario } from './schema.js';

/** The keys that give a header-less payload its bytes (json may also go without the header). */
export const BODY_KEYS = ['text', 'base64', 'hex', 'file', 'files'] as const;
export type BodyKey = (typeof BODY_KEYS)[number];
/** One payload file at most this large (a message is at most MQTT's limit; files are read into every worker). */
export const MAX_PAYLOAD_FILE_BYTES = 16 * 1024 * 1024;
/** At most this many payload files per group. */
export const MAX_PAYLOAD_FILES = 10_000;

export function payloadFileProblem(path: PathSegment[], written: string, baseDir: string, err: unknown): PathProblem {
  const full = resolve(baseDir, written);
  const hint = `looked for ${full} (paths are relative to the scenario file)`;
  if (err instanceof ReadProblem && err.kind === 'tooBig')
    return { path, message: `the payload file '${written}' is ${err.size} bytes: payload files are at most ${MAX_PAYLOAD_FILE_BYTES} B` };
  return { path, message: `cannot read the payload file '${written}': ${err instanceof ReadProblem ? err.reason : 'unreadable'}`, hint };
}

export function checkPayloads(doc: CheckedScenario, baseDir: string): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [g, i] of validItems(validOr(doc.groups))) {
    const pub = validOr(g.publish);
    const payload = validOr(pub?.payload);
    if (!pub || !payload) continue;
    const at: PathSegment[] = ['groups', i, 'publish', 'payload'];
    const header = validOr(payload.header) ?? true;
    const written = BODY_KEYS.filter((k) => payload[k] !== undefined);
    const size = validOr(payload.size);
    if (header) {
      const p = size ? headerSizeProblem(size.min) : null;
      if (p) problems.push({ path: [...at, 'size'], ...p });
      for (const k of written)
        problems.push({
          path: [...at, k],
          atKey: true,
          message: `${k} is sent as written, so it needs header: false`,
          hint: 'add header: false (end-to-end latency and the delivery ledger are then off for this group)',
        });
      continue;
    }
    const sources = payload.json !== undefined ? [...written, 'json'] : written;
    if (sources.length > 1) problems.push({ path: [...at, sources[1]], atKey: true, message: `set one payload source, got ${sources.join(' and ')}` });
    if (written.length > 0 && payload.size !== undefined)
      problems.push({
        path: [...at, 'size'],
        atKey: true,
        message: `size comes from the ${written[0]}: remove size`,
        hint: 'a header-less payload is sent exactly as written',
      });
    if (pub.responseTopic !== undefined)
      problems.push({
        path: ['groups', i, 'publish', 'responseTopic'],
        atKey: true,
        message: 'responseTopic needs the mqbench header (its correlation data)',
        hint: 'remove header: false, or the response topic',
      });
    const files: [string, PathSegment[]][] = [];
    const file = validOr(payload.file);
    if (file !== undefined) files.push([file, [...at, 'file']]);
    const list = validItems(validOr(payload.files));
    if (list.length > MAX_PAYLOAD_FILES) problems.push({ path: [...at, 'files'], message: `at most ${MAX_PAYLOAD_FILES} payload files, got ${list.length}` });
    else for (const [f, k] of list) files.push([f, [...at, 'files', k]]);
    for (const [f, path] of files) {
      const problem = checkRegularFile(resolve(baseDir, f), MAX_PAYLOAD_FILE_BYTES);
      if (problem) problems.push(payloadFileProblem(path, f, baseDir, problem));
    }
  }
  return problems;
}
