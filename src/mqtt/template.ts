/**
 * Name templates such as "dev-{i}", "cmd/{target}" or "mqb-{run}-{group}-{i}".
 * Templates are parsed into literal and variable parts, never evaluated as code. Write "{{" or "}}" for a
 * literal brace.
 */
import { didYouMean } from '../shared/didyoumean.js';

/** Variables a template may use. */
export const TEMPLATE_VARS = ['i', 'group', 'clientId', 'target', 'seq', 'run'] as const;
export type TemplateVar = (typeof TEMPLATE_VARS)[number];

export type TemplateValues = Partial<Record<TemplateVar, string | number>>;

/** A variable reference inside a template. */
export interface TemplateVarPart {
  readonly var: TemplateVar;
}

/** A parsed template: literal strings and variable references, in order, plus a precompiled renderer. */
export interface ParsedTemplate {
  readonly source: string;
  readonly parts: ReadonlyArray<string | TemplateVarPart>;
  /** Builds the string; throws if a variable the template uses is missing from `values`. */
  readonly render: (values: TemplateValues) => string;
}

export interface TemplateProblem {
  message: string;
  hint?: string;
  /** 0-based offset of the problem inside the template source. */
  offset: number;
}

export type TemplateParse = { ok: true; template: ParsedTemplate } | { ok: false; problems: TemplateProblem[] };

function listVars(vars: readonly TemplateVar[]): string {
  return vars.map((v) => `{${v}}`).join(', ');
}

function checkName(name: string, offset: number, allowed: readonly TemplateVar[]): TemplateProblem | undefined {
  if (name === '') return { message: 'empty template variable {}', hint: `use one of ${listVars(allowed)}`, offset };
  if ((allowed as readonly string[]).includes(name)) return undefined;
  if ((TEMPLATE_VARS as readonly string[]).includes(name)) {
    return { message: `template variable {${name}} cannot be used here; allowed: ${listVars(allowed)}`, offset };
  }
  const guess = didYouMean(name, allowed);
  return {
    message: `unknown template variable {${name}}; allowed: ${listVars(allowed)}`,
    hint: guess ? `did you mean {${guess}}?` : undefined,
    offset,
  };
}

/**
 * Parses `source` into parts. Reports every unknown variable (naming it and listing the `allowed` ones) and
 * every unbalanced brace.
 */
export function parseTemplate(source: string, allowed: readonly TemplateVar[] = TEMPLATE_VARS): TemplateParse {
  const parts: Array<string | TemplateVarPart> = [];
  const problems: TemplateProblem[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if ((ch === '{' || ch === '}') && source[i + 1] === ch) {
      literal += ch;
      i += 2;
    } else if (ch === '}') {
      problems.push({ message: 'unmatched } in template', hint: 'write }} for a literal }', offset: i });
      i++;
    } else if (ch === '{') {
      const end = source.indexOf('}', i + 1);
      const nextOpen = source.indexOf('{', i + 1);
      if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
        problems.push({ message: 'unclosed { in template', hint: 'write {{ for a literal {', offset: i });
        i++;
        continue;
      }
      const name = source.slice(i + 1, end);
      const problem = checkName(name, i, allowed);
      if (problem) problems.push(problem);
      else {
        if (literal) parts.push(literal);
        literal = '';
        parts.push({ var: name as TemplateVar });
      }
      i = end + 1;
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal) parts.push(literal);
  if (problems.length) return { ok: false, problems };
  return { ok: true, template: { source, parts, render: compileParts(source, parts) } };
}

function missing(source: string, name: TemplateVar): never {
  throw new Error(`template "${source}" needs a value for {${name}}`);
}

/** Precompiles parts into a closure (no eval): literal and variable slots are resolved once, up front. */
function compileParts(source: string, parts: ReadonlyArray<string | TemplateVarPart>): (v: TemplateValues) => string {
  const n = parts.length;
  const literals: string[] = parts.map((p) => (typeof p === 'string' ? p : ''));
  const names: Array<TemplateVar | undefined> = parts.map((p) => (typeof p === 'string' ? undefined : p.var));
  if (n === 0) return () => '';
  if (n === 1 && names[0] === undefined) {
    const constant = literals[0];
    return () => constant;
  }
  if (n === 2 && names[0] === undefined && names[1] !== undefined) {
    // The common "prefix{var}" shape, e.g. "dev-{i}".
    const prefix = literals[0];
    const name = names[1];
    return (v) => {
      const x = v[name];
      return x === undefined ? missing(source, name) : prefix + x;
    };
  }
  return (v) => {
    let out = '';
    for (let k = 0; k < n; k++) {
      const name = names[k];
      if (name === undefined) out += literals[k];
      else {
        const x = v[name];
        out += x === undefined ? missing(source, name) : x;
      }
    }
    return out;
  };
}

/** Parses a template that is known to be valid (the loader checked it); throws on a bad one. */
export function compileTemplate(source: string, allowed: readonly TemplateVar[] = TEMPLATE_VARS): ParsedTemplate {
  const r = parseTemplate(source, allowed);
  if (!r.ok) throw new Error(`invalid template "${source}": ${r.problems[0].message}`);
  return r.template;
}

/** Renders a parsed template with the given variable values (fast: uses the precompiled closure). */
export function renderTemplate(parsed: ParsedTemplate, values: TemplateValues): string {
  return parsed.render(values);
}

/** The set of variables a template uses. */
export function templateVars(parsed: Pick<ParsedTemplate, 'parts'>): Set<TemplateVar> {
  const out = new Set<TemplateVar>();
  for (const p of parsed.parts) if (typeof p !== 'string') out.add(p.var);
  return out;
}

/** The template's literal text only (variables removed), e.g. to look for wildcards the user typed. */
export function templateLiterals(parsed: Pick<ParsedTemplate, 'parts'>): string {
  return parsed.parts.filter((p): p is string => typeof p === 'string').join('');
}

/** The template rendered with one placeholder for every variable, e.g. to check a topic's shape. */
export function templateShape(parsed: Pick<ParsedTemplate, 'parts'>, placeholder = 'x'): string {
  return parsed.parts.map((p) => (typeof p === 'string' ? p : placeholder)).join('');
}
