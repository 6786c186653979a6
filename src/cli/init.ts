import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../shared/didyoumean.js';
import { DEFAULT_KIND, findStarter, listKinds, schemaReference, starterFileName, starterText, STARTER_KINDS } from '../scenario/starters.js';
import { ExitCode, UserError } from '../shared/errors.js';
import type { CliIo } from './io.js';

/** The package's own folders, wherever it is installed (dist/cli/ → the package root). */
const SCENARIOS = new URL('../../scenarios/', import.meta.url);
const SCHEMA_FILE = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

export interface InitOptions {
  out?: string;
  force?: boolean;
}

function unknownKind(kind: string): UserError {
  const guess = didYouMean(
    kind,
    STARTER_KINDS.map((k) => k.kind),
  );
  return new UserError(
    `unknown scenario kind "${kind}"; the kinds are:\n${listKinds()}`,
    ExitCode.usage,
    guess ? `did you mean "${guess}"?` : 'e.g. mqbench init qos-mix',
  );
}

/** Where to write: --out as given, <dir>/<kind>.yaml when --out is a folder (or ends with /), else ./<kind>.yaml. */
async function outputPath(kind: string, out: string | undefined): Promise<string> {
  if (out === undefined) return starterFileName(kind);
  const isDir =
    /[\\/]$/.test(out) ||
    (await stat(out).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  return isDir ? join(out, starterFileName(kind)) : out;
}

function writeProblem(file: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') {
    return new UserError(`${file} already exists; not overwriting it`, ExitCode.usage, 'add --force to overwrite it, or choose another file with --out <file>');
  }
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof Error ? err.message : String(err);
  return new UserError(`cannot write ${file}: ${reason}`, ExitCode.usage);
}

/** `mqbench init [kind]`: writes a commented starter scenario; refuses to overwrite without --force. */
export async function initCommand(io: CliIo, kind: string | undefined, opts: InitOptions): Promise<number> {
  const chosen = kind ?? DEFAULT_KIND;
  const starter = findStarter(chosen);
  if (!starter) throw unknownKind(chosen);
  let shipped: string;
  try {
    shipped = await readFile(new URL(`${starter.kind}.yaml`, SCENARIOS), 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read the shipped scenario ${starter.kind}.yaml: ${(err as Error).message}`,
      ExitCode.runFailed,
      'the mqbench installation looks incomplete: reinstall it',
    );
  }
  const out = await outputPath(starter.kind, opts.out);
  const text = starterText(shipped, starter.kind, schemaReference(out, SCHEMA_FILE), out);
  try {
    await mkdir(dirname(resolve(out)), { recursive: true });
    // 'wx' fails when the file exists, so a file that appears meanwhile is not overwritten either.
    await writeFile(out, text, { flag: opts.force ? 'w' : 'wx' });
  } catch (err) {
    throw writeProblem(out, err);
  }
  io.stdout.write(`wrote ${out}: ${starter.summary}\nnext: mqbench validate ${out} && mqbench run ${out} --broker mqtt://<host>:1883\n`);
  return ExitCode.ok;
}
