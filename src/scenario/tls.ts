/**
 * target.tls rules that need the file system or another field: the files named by ca / cert / key are read
 * (relative to the scenario file's directory) and checked to hold what they claim, cert and key come as a
 * pair, and tls goes with an mqtts:// or wss:// URL. Like crosscheck.ts it runs on the raw document, so its
 * problems are reported together with every other one. Problems name a file, never its contents.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { ReadProblem, readRegularFileSync } from '../shared/readLimited.js';
import type { PathProblem } from './problems.js';
import { redactUrl } from './redact.js';
import * as v from './values.js';
import { isRecord, read, type Raw } from './raw.js';

/** The PEM texts read from the files (set only for files that were read and are valid). */
export interface PemTexts {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface TlsCheck {
  problems: PathProblem[];
  pem: PemTexts;
}

/** A PEM file is a few KB (a CA bundle a few hundred); anything far larger is not one. */
export const MAX_PEM_BYTES = 1024 * 1024;

type Kind = keyof PemTexts;
const KINDS: readonly Kind[] = ['ca', 'cert', 'key'];
const WHAT: Record<Kind, string> = { ca: 'CA certificate', cert: 'client certificate', key: 'private key' };



function fileReason(err: unknown): string {
  return err instanceof ReadProblem ? err.reason : 'unreadable';
}

interface Problem {
  message: string;
  hint?: string;
}
type Parsed = { text: string; cert?: X509Certificate; key?: KeyObject };

/** Reads and checks one PEM file; the problem names the file (as written) and never quotes its contents. */
function readPem(baseDir: string, written: string, kind: Kind): Parsed | Problem {
  const full = resolve(baseDir, written);
  const name = `'${written}'`;
  const where = `looked for ${full} (paths are relative to the scenario file)`;
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(full, MAX_PEM_BYTES);
  } catch (err) {
    if (err instanceof ReadProblem && err.kind === 'notRegular') return { message: `the ${WHAT[kind]} file ${name} is not a regular file`, hint: where };
    if (err instanceof ReadProblem && err.kind === 'tooBig') return { message: `the ${WHAT[kind]} file ${name} is ${err.size} bytes: too large for a PEM file` };
    return { message: `cannot read the ${WHAT[kind]} file ${name}: ${fileReason(err)}`, hint: where };
  }
  const text = bytes.toString('utf8');
  if (!text.includes('-----BEGIN ')) {
    const convert = kind === 'key' ? 'openssl pkey -inform der -in key.der -out key.pem' : 'openssl x509 -inform der -in cert.der -out cert.pem';
    return { message: `${name} is not a PEM file (it has no "-----BEGIN" line)`, hint: `if it is DER, convert it: ${convert}` };
  }
  if (kind !== 'key') {
    try {
      return { text, cert: new X509Certificate(text) };
    } catch {
      return { message: `${name} holds no readable ${WHAT[kind]}`, hint: 'expected a "-----BEGIN CERTIFICATE-----" block' };
    }
  }
  // PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY") or legacy PEM encryption ("Proc-Type: 4,ENCRYPTED").
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text)) {
    const hint = 'mqbench cannot ask for a passphrase: write a decrypted copy (openssl pkey -in key.pem -out key-plain.pem) and keep it private';
    return { message: `the private key in ${name} is encrypted`, hint };
  }
  try {
    return { text, key: createPrivateKey(text) };
  } catch {
    return { message: `${name} holds no readable private key`, hint: 'expected a "-----BEGIN PRIVATE KEY-----" (or RSA / EC PRIVATE KEY) block' };
  }
}

function matches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The target.tls rules on the raw document; reads the files relative to `baseDir`. */
export function checkTls(doc: unknown, baseDir: string): TlsCheck {
  const out: TlsCheck = { problems: [], pem: {} };
  const target = isRecord(doc) ? doc.target : undefined;
  if (!isRecord(target) || !isRecord(target.tls)) return out;
  const tls = target.tls;
  const at = (...rest: string[]) => ['target', 'tls', ...rest];

  // Only a URL written in the scenario is judged: without one, --broker may still supply an mqtts:// URL.
  const url = target.url === undefined ? undefined : read(v.brokerUrl, target.url);
  if (url !== undefined && !/^(mqtts|wss):/i.test(url)) {
    const what = url === 'embedded' ? 'the embedded broker does not use TLS' : `the target URL '${redactUrl(url)}' does not use TLS`;
    out.problems.push({ path: at(), atKey: true, message: `tls is set, but ${what}`, hint: 'use an mqtts:// or wss:// URL, or remove tls' });
  }

  const parsed: Partial<Record<Kind, Parsed>> = {};
  for (const kind of KINDS) {
    const written = read(v.filePath, tls[kind]);
    if (written === undefined) continue;
    const r = readPem(baseDir, written, kind);
    if ('message' in r) out.problems.push({ path: at(kind), message: r.message, hint: r.hint });
    else (parsed[kind] = r), (out.pem[kind] = r.text);
  }

  const hasCert = tls.cert !== undefined;
  if (hasCert !== (tls.key !== undefined)) {
    const [has, missing] = hasCert ? ['cert', 'key'] : ['key', 'cert'];
    out.problems.push({ path: at(has), atKey: true, message: `${has} needs ${missing}: a client certificate goes with its private key`, hint: `add tls.${missing}` });
  }
  const cert = parsed.cert?.cert;
  const key = parsed.key?.key;
  if (cert && key && !matches(cert, key)) {
    const message = `the private key in '${tls.key as string}' does not belong to the client certificate in '${tls.cert as string}'`;
    out.problems.push({ path: at('key'), message });
  }
  return out;
}
