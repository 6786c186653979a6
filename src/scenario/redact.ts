/** Secret-free copies of a scenario, for results files and anything else that is written or printed. */
import { createHash, X509Certificate } from 'node:crypto';
import { basename } from 'node:path';
import type { PathSegment } from './problems.js';
import type { Scenario } from './model.js';
import { scenarioRecord } from './record.js';

export const REDACTED = '[redacted]';

/**
 * Drops "user:pass@" from a URL (works on text that is not a valid URL too): mqtt://u:p@h:1883 → mqtt://h:1883,
 * and u:p@h:1883 (no scheme, no spaces) → h:1883.
 */
export function redactUrl(url: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^@/?#]*@/, '$1');
  return url.replace(/^[^@/?#\s]*@/, '');
}

const STEP = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** Parses a printed path ("groups[1].publish.rate", `x["odd key"]`) back into segments; undefined if malformed. */
export function parsePath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let pos = 0;
  while (pos < text.length) {
    STEP.lastIndex = pos;
    const m = STEP.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
    pos = STEP.lastIndex;
  }
  return out;
}

function replaceAt(root: unknown, path: PathSegment[]): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<PathSegment, unknown>)[path[i]];
  }
  const last = path[path.length - 1];
  if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, last)) {
    (node as Record<PathSegment, unknown>)[last] = REDACTED;
  }
}

/** A short fingerprint of a PEM certificate (its first 8 SHA-256 bytes, as openssl prints them), or of the text. */
export function pemFingerprint(pem: string): string {
  let full: string;
  try {
    full = new X509Certificate(pem).fingerprint256;
  } catch {
    full = createHash('sha256')
      .update(pem)
      .digest('hex')
      .toUpperCase()
      .replace(/(..)(?!$)/g, '$1:');
  }
  return `SHA-256 ${full.slice(0, 23)}…`;
}

/** target.tls without PEM texts: ca/cert become "<file name> (SHA-256 …)", key is always "[redacted]". */
function redactTls(tls: Record<string, unknown>): void {
  const files = (tls.files ?? {}) as Record<string, unknown>;
  for (const k of ['ca', 'cert'] as const) {
    if (typeof tls[k] !== 'string') continue;
    const file = typeof files[k] === 'string' ? basename(files[k]) : 'PEM';
    tls[k] = `${file} (${pemFingerprint(tls[k])})`;
  }
  if (tls.key !== undefined) tls.key = REDACTED;
  // Full paths say nothing more about the run (and one may have come from a ${VAR}).
  delete tls.files;
}

/**
 * The results record of `s` (record.ts) made safe to write out: `target.password` and `target.tls.key` are always
 * "[redacted]" (tls ca/cert are shown by file name and fingerprint), every value at one of `secretPaths`
 * (paths into the Scenario, as the loader reports them) is "[redacted]", and the target URL loses any
 * credentials.
 */
export function redactScenario(s: Scenario, secretPaths: readonly string[]): Record<string, unknown> {
  const copy = scenarioRecord(s);
  const target = copy.target as Record<string, unknown> | undefined;
  if (target) {
    if (typeof target.url === 'string') target.url = redactUrl(target.url);
    if (Array.isArray(target.urls)) target.urls = (target.urls as unknown[]).map((u) => (typeof u === 'string' ? redactUrl(u) : u));
    if (target.password !== undefined) target.password = REDACTED;
    if (target.tls !== null && typeof target.tls === 'object') redactTls(target.tls as Record<string, unknown>);
    const prom = (target.observe as { prometheus?: Record<string, unknown> } | undefined)?.prometheus;
    if (prom && typeof prom.url === 'string') prom.url = redactUrl(prom.url);
  }
  for (const p of secretPaths) {
    const path = parsePath(p);
    if (path && path.length) replaceAt(copy, path);
  }
  return copy;
}
