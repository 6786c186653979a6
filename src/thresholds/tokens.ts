/**
 * The tokenizer for threshold expressions ("endToEnd.p99 < 50ms"). Hand-written and strict: it only splits
 * text into words, operators, numbers and slashes; the parser gives them meaning. Nothing is ever evaluated.
 */

export type TokenKind = 'word' | 'op' | 'number' | 'slash' | 'other';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column in the expression. */
  col: number;
}

const isSpace = (c: string) => c === ' ' || c === '\t';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === 'µ';
const isOpChar = (c: string) => c === '<' || c === '>' || c === '=' || c === '!';

/** Length of the run of characters from `start` that satisfy `ok`. */
function runLength(src: string, start: number, ok: (c: string) => boolean): number {
  let end = start;
  while (end < src.length && ok(src[end])) end++;
  return end - start;
}

/** A number: digits with an optional fraction ("50", "0.5"); a dot not followed by a digit ends it. */
function numberLength(src: string, start: number): number {
  let len = runLength(src, start, isDigit);
  if (src[start + len] === '.' && isDigit(src[start + len + 1] ?? '')) {
    len += 1 + runLength(src, start + len + 1, isDigit);
  }
  return len;
}

/** Splits an expression into tokens; whitespace only separates. Never fails: odd characters become 'other'. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    let kind: TokenKind;
    let len: number;
    if (isLetter(c)) {
      // A metric path ("endToEnd.p99") or a unit ("ms"): letters, digits and dots.
      kind = 'word';
      len = runLength(src, i, (x) => isLetter(x) || isDigit(x) || x === '.');
    } else if (isDigit(c)) {
      kind = 'number';
      len = numberLength(src, i);
    } else if (isOpChar(c)) {
      kind = 'op';
      len = runLength(src, i, isOpChar);
    } else if (c === '/') {
      kind = 'slash';
      len = 1;
    } else {
      kind = 'other';
      len = 1;
    }
    tokens.push({ kind, text: src.slice(i, i + len), col: i + 1 });
    i += len;
  }
  return tokens;
}
