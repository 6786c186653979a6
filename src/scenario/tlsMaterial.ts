/**
 * The explicit step after validation that reads what target.tls names: the PEM texts of ca / cert / key
 * (relative to the scenario file's directory), checked to hold what they claim (a certificate, an unencrypted
 * private key, a key that belongs to the certificate). The result is a new scenario carrying the texts, so
 * worker threads get everything in the plan and read no files themselves. Problems name a file, never its
 * contents, and are positioned in the scenario file like the loader's.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { readRegularFile } from '../shared/readLimited.js';
import type { LoadedScenario, LoadResult } from './load.js';
import type { TlsSpec } from './model.js';
import type { PathProblem } from './problems.js';
import { fileProblem, MAX_PEM_BYTES, PEM_KINDS, PEM_WHAT, tlsPath, type PemKind } from './tls.js';

interface Pem {
  text: string;
  cert?: X509Certificate;
  key?: KeyObject;
}

interface Problem {
  message: string;
  hint?: string;
}

/** What the PEM text of a `kind` file holds, or why it is not what it should be. */
function checkPem(text: string, kind: PemKind, name: string): Pem | Problem {
  if (!text.includes('-----BEGIN ')) {
    const convert = kind === 'key' ? 'openssl pkey -inform der -in key.der -out key.pem' : 'openssl x509 -inform der -in cert.der -out cert.pem';
    return { message: `${name} is not a PEM file (it has no "-----BEGIN" line)`, hint: `if it is DER, convert it: ${convert}` };
  }
  if (kind !== 'key') {
    try {
      return { text, cert: new X509Certificate(text) };
    } catch {
      return { message: `${name} holds no readable ${PEM_WHAT[kind]}`, hint: 'expected a "-----BEGIN CERTIFICATE-----" block' };
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

/** Reads and checks one file; a problem names the file (as written) and never quotes its contents. */
async function readPem(baseDir: string, written: string, kind: PemKind): Promise<Pem | PathProblem> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(resolve(baseDir, written), MAX_PEM_BYTES);
  } catch (err) {
    return fileProblem(kind, written, baseDir, err);
  }
  const checked = checkPem(bytes.toString('utf8'), kind, `'${written}'`);
  return 'message' in checked ? { path: tlsPath(kind), ...checked } : checked;
}

function matches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The PEM texts read, or every problem with the files. */
async function readMaterial(tls: TlsSpec, baseDir: string): Promise<{ pem: Partial<Record<PemKind, Pem>>; problems: PathProblem[] }> {
  const pem: Partial<Record<PemKind, Pem>> = {};
  const problems: PathProblem[] = [];
  for (const kind of PEM_KINDS) {
    const written = tls.files[kind];
    if (written === undefined) continue;
    const r = await readPem(baseDir, written, kind);
    if ('path' in r) problems.push(r);
    else pem[kind] = r;
  }
  const cert = pem.cert?.cert;
  const key = pem.key?.key;
  if (cert && key && !matches(cert, key)) {
    problems.push({ path: tlsPath('key'), message: `the private key in '${tls.files.key}' does not belong to the client certificate in '${tls.files.cert}'` });
  }
  return { pem, problems };
}

/**
 * The loaded scenario with the PEM texts of its target.tls files (a new value; `loaded` is not changed), or
 * every problem with those files. Without tls it is `loaded` itself.
 */
export async function loadTlsMaterial(loaded: LoadedScenario): Promise<LoadResult> {
  const tls = loaded.scenario.target.tls;
  if (!tls) return { ok: true, loaded };
  const { pem, problems } = await readMaterial(tls, dirname(loaded.file));
  if (problems.length > 0) return { ok: false, problems: loaded.locate(problems) };
  const texts: Pick<TlsSpec, PemKind> = {};
  for (const kind of PEM_KINDS) if (pem[kind]) texts[kind] = pem[kind].text;
  const scenario = { ...loaded.scenario, target: { ...loaded.scenario.target, tls: { ...tls, ...texts } } };
  return { ok: true, loaded: { ...loaded, scenario } };
}
