/**
 * Keeps values that came from the environment out of problem messages. Messages quote user values as
 * 'value' (see show() and units.ts); those quotes are replaced when they hold a secret, and long secrets
 * (passwords, tokens) are removed wherever they appear. At a path whose value came from the environment,
 * every quoted value and every unknown {variable} name is removed too.
 */
import { TEMPLATE_VARS } from '../mqtt/template.js';

export const HIDDEN = '[redacted]';
/** Secrets at least this long are scrubbed even when not quoted (shorter ones would mangle ordinary words). */
const RAW_MIN = 6;

function quoted(value: string): string[] {
  const forms = [`'${value}'`];
  if (value.length > 40) forms.push(`'${value.slice(0, 40)}…'`);
  return forms;
}

function replaceAll(text: string, find: string, by: string): string {
  return find ? text.split(find).join(by) : text;
}

/** Removes secret values from `text`; `atSecretPath` = the problem is about a value from the environment. */
export function scrubText(text: string, secrets: readonly string[], atSecretPath: boolean): string {
  let out = text;
  for (const s of secrets) {
    for (const q of quoted(s)) out = replaceAll(out, q, `'${HIDDEN}'`);
    if (s.length >= RAW_MIN) out = replaceAll(out, s, HIDDEN);
  }
  if (atSecretPath) {
    out = out.replace(/'[^']*'/g, `'${HIDDEN}'`);
    out = out.replace(/(?<!\$)\{([^{}]*)\}/g, (m, name: string) => ((TEMPLATE_VARS as readonly string[]).includes(name) ? m : `{${HIDDEN}}`));
  }
  return out;
}
