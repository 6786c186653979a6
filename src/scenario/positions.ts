/**
 * YAML parsing with positions: syntax errors become line:col problems, and a path into the document maps to
 * the line:col of the deepest node that exists (or of the key node, for unknown keys).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, Pair, parseDocument, YAMLMap, type Document, type Node } from 'yaml';
import type { PathSegment } from './problems.js';
import { describeSyntaxError, unclosedQuoteAt } from './syntax.js';

/** 1-based line and column. */
export interface Position {
  line: number;
  col: number;
}

export interface YamlSyntaxProblem extends Position {
  message: string;
  hint?: string;
}

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  /** Syntax errors; when non-empty the document's contents are not trustworthy. */
  problems: YamlSyntaxProblem[];
}

/** Parses one YAML document, keeping a line counter for positions. Reports one syntax error per line. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml package must not print warnings to the console itself.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  const lines = text.split('\n');
  const problems: YamlSyntaxProblem[] = [];
  for (const err of doc.errors) {
    // An unclosed quote is reported where the quoted text starts, not where the file or block ends.
    const open = err.code === 'MISSING_CHAR' ? unclosedQuoteAt(text, err.pos[0], err.message) : -1;
    const pos = open >= 0 ? lineCounter.linePos(open) : (err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]));
    if (problems.some((p) => p.line === pos.line)) continue;
    const { message, hint } = describeSyntaxError(err.code, err.message, lines[pos.line - 1] ?? '', pos.col);
    problems.push({ line: pos.line, col: pos.col, message, hint });
  }
  return { doc, lineCounter, problems };
}

type AnyNode = Node | null | undefined;

/**
 * The pair whose key reads `seg` in the plain data. Plain keys compare directly; a key that is null, an alias
 * or a collection is turned into text exactly as the yaml library's toJS does (so "? [a, b]" or "*k :" keys,
 * which the schema reports as unknown, are found too).
 */
function findPair(doc: Document, map: YAMLMap, seg: PathSegment): Pair | undefined {
  const want = String(seg);
  const plain = map.items.find((p) => isScalar(p.key) && p.key.value !== null && String(p.key.value) === want);
  if (plain) return plain;
  return map.items.find((p) => {
    const probe = new YAMLMap(doc.schema);
    probe.items.push(new Pair(p.key));
    return Object.keys(probe.toJS(doc) as object)[0] === want;
  });
}

function startOf(node: AnyNode): number | undefined {
  return node?.range ? node.range[0] : undefined;
}

/** Whether a value node is an empty "key:" with nothing after it (its range points past the key). */
function isEmptyValue(node: AnyNode): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}

/**
 * The position for `path`: the deepest existing node along it (so a missing key is reported at its parent
 * mapping). With `atKey`, a path whose last step is an existing mapping key points at that key.
 */
export function locate(parsed: ParsedYaml, path: readonly PathSegment[], atKey = false): Position {
  const { doc, lineCounter } = parsed;
  let node: AnyNode = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i];
    let next: AnyNode;
    let keyNode: AnyNode;
    if (isMap(node)) {
      const pair = findPair(doc, node, seg);
      if (!pair) break;
      keyNode = pair.key as AnyNode;
      next = pair.value as AnyNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg] as AnyNode;
    } else break;
    const last = i === path.length - 1;
    if (keyNode && ((last && atKey) || next == null || isEmptyValue(next))) {
      offset = startOf(keyNode) ?? offset;
      break;
    }
    if (next == null) break;
    offset = startOf(next) ?? offset;
    node = next;
  }
  return lineCounter.linePos(offset);
}

/**
 * How many leading steps of `path` exist before a scalar is reached (path.length if none is): used to print
 * `subscribe[0]` rather than `subscribe[0].topic` when the user wrote the string shorthand.
 */
export function scalarDepth(parsed: ParsedYaml, path: readonly PathSegment[]): number {
  let node: AnyNode = parsed.doc.contents;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(parsed.doc);
    if (isScalar(node)) return i;
    const seg = path[i];
    if (isMap(node)) node = findPair(parsed.doc, node, seg)?.value as AnyNode;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg] as AnyNode;
    else return path.length;
  }
  return path.length;
}

/** The text the scalar at `path` was written as, e.g. "4.0" for a value YAML reads as the number 4. */
export function writtenText(parsed: ParsedYaml, path: readonly PathSegment[]): string | undefined {
  let node: AnyNode = parsed.doc.contents;
  for (const seg of [...path, null]) {
    if (isAlias(node)) node = node.resolve(parsed.doc);
    if (seg === null) break;
    if (isMap(node)) node = findPair(parsed.doc, node, seg)?.value as AnyNode;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg] as AnyNode;
    else return undefined;
  }
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}
