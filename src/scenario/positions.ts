/**
 * YAML parsing with positions: syntax errors become line:col problems, and a path into the document maps to
 * the line:col of the deepest node that exists (or of the key node, for unknown keys).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegment } from './problems.js';

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

/** The yaml library's message without its " at line L, column C:" suffix and code excerpt. */
function shortMessage(message: string): string {
  const first = message.split('\n')[0];
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

const FLOW_ENV_HINT = 'inside { } or [ ], quote values that use ${VAR}, e.g. "${VAR}"';

/** Parses one YAML document, keeping a line counter for positions. Reports one syntax error per line. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // logLevel 'error': the yaml package must not print warnings to the console itself.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, logLevel: 'error' });
  const lines = text.split('\n');
  const problems: YamlSyntaxProblem[] = [];
  for (const err of doc.errors) {
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    if (problems.some((p) => p.line === pos.line)) continue;
    const hint = lines[pos.line - 1]?.includes('${') ? FLOW_ENV_HINT : undefined;
    problems.push({ line: pos.line, col: pos.col, message: `YAML syntax error: ${shortMessage(err.message)}`, hint });
  }
  return { doc, lineCounter, problems };
}

type AnyNode = Node | null | undefined;

function keyOf(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
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
  let node: AnyNode = doc.contents as AnyNode;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc) as AnyNode;
    const seg = path[i];
    let next: AnyNode;
    let keyNode: AnyNode;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(keyOf(p.key)) === String(seg));
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
  let node: AnyNode = parsed.doc.contents as AnyNode;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(parsed.doc) as AnyNode;
    if (isScalar(node)) return i;
    const seg = path[i];
    if (isMap(node)) node = node.items.find((p) => String(keyOf(p.key)) === String(seg))?.value as AnyNode;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg] as AnyNode;
    else return path.length;
  }
  return path.length;
}
