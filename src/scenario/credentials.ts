/**
 * Per-client credentials (connect.credentials: clients.csv): read once the scenario is valid, so worker threads
 * get every client's identity in the plan and read no file. The CSV has a header line naming its columns —
 * username, password, and optionally cert and key (PEM file paths relative to the CSV, as a pair) — and one row
 * per client identity; client i of the group uses row i mod rows. Problems name the file and the line, never a
 * value (they are secrets).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkRegularFile, ReadProblem } from '../shared/readLimited.js';
import type { CredentialRow, Scenario } from './model.js';
import type { PathProblem, PathSegment } from './problems.js';

const MAX_CSV_BYTES = 64 * 1024 * 1024;
const MAX_PEM_BYTES = 1024 * 1024;
const COLUMNS = ['username', 'password', 'cert', 'key'] as const;
type Column = (typeof COLUMNS)[number];

/** The fields of CSV text (RFC 4180 quoting: "a,b", "say ""hi"""), line by line; empty lines skipped. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ line: startLine, fields });
    fields = [];
    field = '';
  };
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') {
        field += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[k + 1] === '\n') k++;
      endRow();
      line++;
      startLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

function readPem(path: string, cache: Map<string, string>): string {
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  const problem = checkRegularFile(path, MAX_PEM_BYTES);
  if (problem) throw problem;
  const text = readFileSync(path, 'utf8');
  cache.set(path, text);
  return text;
}

/** What is wrong with a credentials file's header line (message, hint), if anything. */
function checkHeader(file: string, names: string[]): [string, string?] | undefined {
  const unknown = names.find((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown !== undefined || names.length === 0) {
    return [
      `the credentials file '${file}' needs a header line of columns from: ${COLUMNS.join(', ')}${unknown !== undefined ? ` (found '${unknown}')` : ''}`,
      'e.g. username,password,cert,key',
    ];
  }
  if (names.includes('cert') !== names.includes('key')) {
    return [
      `the credentials file '${file}' has ${names.includes('cert') ? 'cert' : 'key'} without ${names.includes('cert') ? 'key' : 'cert'}: a client certificate goes with its key`,
    ];
  }
  return undefined;
}

/** The rows of one credentials file, or the problems with it. */
function readFile(file: string, at: PathSegment[], cache: Map<string, string>): { rows: CredentialRow[] } | { problems: PathProblem[] } {
  const fail = (message: string, hint?: string) => ({ problems: [{ path: at, message, ...(hint ? { hint } : {}) }] });
  const problem = checkRegularFile(file, MAX_CSV_BYTES);
  if (problem)
    return fail(
      `cannot read the credentials file '${file}': ${problem instanceof ReadProblem ? problem.reason : 'unreadable'}`,
      'paths are relative to the scenario file',
    );
  const [head, ...body] = parseCsv(readFileSync(file, 'utf8'));
  const names = (head?.fields ?? []).map((f) => f.trim().toLowerCase());
  const headerProblem = checkHeader(file, names);
  if (headerProblem) return fail(...headerProblem);
  if (body.length === 0) return fail(`the credentials file '${file}' has no rows`);
  const problems: PathProblem[] = [];
  const rows: CredentialRow[] = [];
  const base = dirname(file);
  for (const { line, fields } of body) {
    if (fields.length !== names.length) {
      problems.push({ path: at, message: `the credentials file '${file}', line ${line}: ${fields.length} fields, the header has ${names.length}` });
      continue;
    }
    const row: CredentialRow = {};
    const value = (c: Column) => fields[names.indexOf(c)];
    if (names.includes('username') && value('username') !== '') row.username = value('username');
    if (names.includes('password') && value('password') !== '') row.password = value('password');
    for (const c of ['cert', 'key'] as const) {
      if (!names.includes(c) || value(c) === '') continue;
      try {
        row[c] = readPem(resolve(base, value(c)), cache);
      } catch (err) {
        problems.push({
          path: at,
          message: `the credentials file '${file}', line ${line}: cannot read its ${c} file: ${err instanceof ReadProblem ? err.reason : 'unreadable'}`,
        });
      }
    }
    if ((row.cert === undefined) !== (row.key === undefined))
      problems.push({ path: at, message: `the credentials file '${file}', line ${line}: cert and key go together` });
    rows.push(row);
  }
  return problems.length ? { problems } : { rows };
}

/** The scenario with every connect.credentials file read (a new value), or the problems. */
export function readCredentials(scenario: Scenario, baseDir: string): { scenario: Scenario } | { problems: PathProblem[] } {
  if (!scenario.groups.some((g) => g.connect.credentials)) return { scenario };
  const problems: PathProblem[] = [];
  const cache = new Map<string, string>();
  const groups = scenario.groups.map((g, gi) => {
    const c = g.connect.credentials;
    if (!c) return g;
    const r = readFile(resolve(baseDir, c.file), ['groups', gi, 'connect', 'credentials'], cache);
    if ('problems' in r) {
      problems.push(...r.problems.map((p) => ({ ...p, message: p.message.replace(resolve(baseDir, c.file), c.file) })));
      return g;
    }
    return { ...g, connect: { ...g.connect, credentials: { file: c.file, rows: r.rows } } };
  });
  return problems.length ? { problems } : { scenario: { ...scenario, groups } };
}
