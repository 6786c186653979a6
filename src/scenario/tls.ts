/**
 * target.tls rules checked with the rest of the scenario: tls goes with an mqtts:// or wss:// URL, cert and key
 * come as a pair, and each file named by ca / cert / key (relative to the scenario file's directory) exists as
 * a regular file this process may read. Nothing is read here: the PEM texts are read, and checked to hold what
 * they claim, by loadTlsMaterial (tlsMaterial.ts) once the scenario is valid. Problems name a file, never its
 * contents.
 */
import { resolve } from 'node:path';
import { checkRegularFile, ReadProblem } from '../shared/readLimited.js';
import { validOr } from './decode.js';
import type { PathProblem, PathSegment } from './problems.js';
import { redactUrl } from './redact.js';
import type { CheckedScenario } from './schema.js';

/** A PEM file is a few KB (a CA bundle a few hundred); anything far larger is not one. */
export const MAX_PEM_BYTES = 1024 * 1024;

export type PemKind = 'ca' | 'cert' | 'key';
export const PEM_KINDS: readonly PemKind[] = ['ca', 'cert', 'key'];
export const PEM_WHAT: Record<PemKind, string> = { ca: 'CA certificate', cert: 'client certificate', key: 'private key' };

export const tlsPath = (...rest: PathSegment[]): PathSegment[] => ['target', 'tls', ...rest];

/** The problem with the file `written` (as in the scenario) that could not be (or will not be) read. */
export function fileProblem(kind: PemKind, written: string, baseDir: string, err: unknown): PathProblem {
  const full = resolve(baseDir, written);
  const name = `'${written}'`;
  const hint = `looked for ${full} (paths are relative to the scenario file)`;
  const path = tlsPath(kind);
  if (err instanceof ReadProblem && err.kind === 'notRegular') return { path, message: `the ${PEM_WHAT[kind]} file ${name} is not a regular file`, hint };
  if (err instanceof ReadProblem && err.kind === 'tooBig')
    return { path, message: `the ${PEM_WHAT[kind]} file ${name} is ${err.size} bytes: too large for a PEM file` };
  return { path, message: `cannot read the ${PEM_WHAT[kind]} file ${name}: ${err instanceof ReadProblem ? err.reason : 'unreadable'}`, hint };
}

/** The target.tls rules on the checked document; files are looked for relative to `baseDir`. */
export function checkTls(doc: CheckedScenario, baseDir: string): PathProblem[] {
  const problems: PathProblem[] = [];
  const target = validOr(doc.target);
  const tls = validOr(target?.tls);
  if (target === undefined || tls === undefined) return problems;

  // Only a URL written in the scenario is judged: without one, --broker may still supply an mqtts:// URL.
  const url = validOr(target.url);
  if (url !== undefined && !/^(mqtts|wss):/i.test(url)) {
    const what = url === 'embedded' ? 'the embedded broker does not use TLS' : `the target URL '${redactUrl(url)}' does not use TLS`;
    problems.push({ path: tlsPath(), atKey: true, message: `tls is set, but ${what}`, hint: 'use an mqtts:// or wss:// URL, or remove tls' });
  }

  for (const kind of PEM_KINDS) {
    const written = validOr(tls[kind]);
    if (written === undefined) continue;
    const problem = checkRegularFile(resolve(baseDir, written), MAX_PEM_BYTES);
    if (problem) problems.push(fileProblem(kind, written, baseDir, problem));
  }

  const hasCert = tls.cert !== undefined;
  if (hasCert !== (tls.key !== undefined)) {
    const [has, missing] = hasCert ? ['cert', 'key'] : ['key', 'cert'];
    problems.push({
      path: tlsPath(has),
      atKey: true,
      message: `${has} needs ${missing}: a client certificate goes with its private key`,
      hint: `add tls.${missing}`,
    });
  }
  return problems;
}
