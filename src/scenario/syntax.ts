/**
 * YAML syntax errors in words a scenario author can act on: the yaml library's message is kept where it is
 * clear, replaced where it talks about its own API or tokens, and given a hint for the common mistakes.
 */

export interface SyntaxText {
  message: string;
  hint?: string;
}

const FLOW_ENV_HINT = 'inside { } or [ ], quote values that use ${VAR}, e.g. "${VAR}"';
const INDENT_HINT = 'check the indentation: the keys of one mapping must start in the same column';

/** The yaml library's message without its " at line L, column C:" suffix and code excerpt. */
export function shortMessage(message: string): string {
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** The key written at the start of `rest` (a line from the key's column on), unquoted; undefined if none. */
function keyAt(rest: string): string | undefined {
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#{}[\],]*?))\s*:(?:\s|$)/.exec(rest);
  const key = m ? (m[1] ?? m[2]?.replace(/''/g, "'") ?? m[3]) : undefined;
  return key ? key.trim() : undefined;
}

/**
 * Where the quoted value that a "Missing closing quote" error at `offset` is about starts: the last quote of
 * that kind before `offset` that is not escaped (\" in double quotes, '' in single quotes); -1 if none.
 */
export function unclosedQuoteAt(text: string, offset: number, message: string): number {
  const quote = /closing "/.test(message) ? '"' : /closing '/.test(message) ? "'" : '';
  if (!quote) return -1;
  for (let i = Math.min(offset, text.length - 1); i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"') {
      let slashes = 0;
      while (text[i - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 0) return i;
    } else if (text[i - 1] === "'")
      i--; // '' is an escaped quote: skip the pair
    else return i;
  }
  return -1;
}

/**
 * Describes one yaml parse error. `code` and `message` come from the yaml library; `line` is the source line
 * the error is on and `col` its 1-based column.
 */
export function describeSyntaxError(code: string, message: string, line: string, col: number): SyntaxText {
  const short = shortMessage(message);
  const say = (text: string, hint?: string): SyntaxText => ({ message: `YAML syntax error: ${text}`, hint });
  if (line.includes('${') && code === 'UNEXPECTED_TOKEN') return say(short, FLOW_ENV_HINT);
  switch (code) {
    case 'DUPLICATE_KEY': {
      const key = keyAt(line.slice(col - 1));
      const what = key ? `the key "${key}" appears twice in the same mapping` : 'a key appears twice in the same mapping';
      return say(what, 'each key may be written once; remove or merge the repeated one');
    }
    case 'MULTIPLE_DOCS':
      return say('the file holds more than one YAML document (a second "---" or a "..." line)', 'write one scenario per file');
    case 'TAB_AS_INDENT':
      return say(short, 'indent with spaces; YAML does not allow tabs for indentation');
    case 'BAD_INDENT':
      return say(short, /end with a [}\]]/.test(short) ? 'a { or [ is not closed: end the value with } or ]' : INDENT_HINT);
    case 'BLOCK_AS_IMPLICIT_KEY':
      return say(short, 'quote a value that contains ": ", e.g. topic: "a: b"');
    case 'MISSING_CHAR':
      if (/quote/i.test(short)) return say('this quoted value is never closed', 'add the closing quote at the end of the value');
      return say(short, /indicator/.test(short) ? INDENT_HINT : undefined);
    default:
      return say(short, line.includes('${') ? FLOW_ENV_HINT : undefined);
  }
}
