/**
 * A structural validator for the common JUnit XML schema (Jenkins' junit-10.xsd, which GitLab, GitHub test
 * reporters and Jenkins read), for tests where no XSD tool is installed: a small well-formedness parser, then
 * the schema's rules — which elements may nest where, required attributes, numeric attributes, and counts that
 * agree with the test cases.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&([a-z]+|#\d+|#x[0-9a-f]+);|&/gi, (m, name: string | undefined) => {
    if (!name) throw new Error(`bare & at ${at}`);
    if (name.startsWith('#')) return String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    if (!(name in ENTITY)) throw new Error(`unknown entity ${m} at ${at}`);
    return ENTITY[name];
  });
}

/** Parses an XML document (elements, attributes, text; a declaration) or throws at the first error. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml\s[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end < 0 ? xml.length : end);
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new Error(`text outside the root at ${i}`);
      } else {
        if (raw.includes('>')) throw new Error(`unescaped > in text at ${i}`);
        stack[stack.length - 1].text += decode(raw, i);
      }
      i = end < 0 ? xml.length : end;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(i));
      const top = stack.pop();
      if (!m || !top || top.name !== m[1]) throw new Error(`mismatched end tag at ${i}`);
      i += m[0].length;
      continue;
    }
    const m = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(xml.slice(i));
    if (!m) throw new Error(`malformed tag at ${i}: ${xml.slice(i, i + 40)}`);
    const attrs: Record<string, string> = {};
    for (const a of m[2].matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*"([^"<]*)"/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} at ${i}`);
      attrs[a[1]] = decode(a[2], i);
    }
    const el: XmlElement = { name: m[1], attrs, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('a second root element');
    else root = el;
    if (m[3] !== '/') stack.push(el);
    i += m[0].length;
  }
  if (stack.length > 0 || !root) throw new Error('unclosed elements at the end');
  return root;
}

const NUM = /^\d+$/;
const TIME = /^\d+(\.\d+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Problems against the JUnit schema (empty: valid). */
export function junitProblems(xml: string): string[] {
  const problems: string[] = [];
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    return [`not well-formed: ${(err as Error).message}`];
  }
  const need = (el: XmlElement, names: string[], pattern?: RegExp) => {
    for (const n of names) {
      if (!(n in el.attrs)) problems.push(`<${el.name}> lacks ${n}`);
      else if (pattern && !pattern.test(el.attrs[n])) problems.push(`<${el.name} ${n}="${el.attrs[n]}"> is not of the right form`);
    }
  };
  if (root.name !== 'testsuites') return [`root is <${root.name}>, not <testsuites>`];
  let allTests = 0;
  let allFailures = 0;
  for (const suite of root.children) {
    if (suite.name !== 'testsuite') {
      problems.push(`<testsuites> holds <${suite.name}>`);
      continue;
    }
    need(suite, ['name']);
    need(suite, ['tests', 'failures', 'errors'], NUM);
    if ('skipped' in suite.attrs) need(suite, ['skipped'], NUM);
    if ('time' in suite.attrs) need(suite, ['time'], TIME);
    if ('timestamp' in suite.attrs) need(suite, ['timestamp'], TIMESTAMP);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    for (const c of suite.children)
      if (!['testcase', 'properties', 'system-out', 'system-err'].includes(c.name)) problems.push(`<testsuite> holds <${c.name}>`);
    let failures = 0;
    let skipped = 0;
    for (const tc of cases) {
      need(tc, ['name', 'classname']);
      if ('time' in tc.attrs) need(tc, ['time'], TIME);
      for (const c of tc.children) {
        if (!['failure', 'error', 'skipped', 'system-out', 'system-err'].includes(c.name)) problems.push(`<testcase> holds <${c.name}>`);
        if (c.name === 'failure') {
          failures++;
          need(c, ['message', 'type']);
        }
        if (c.name === 'skipped') skipped++;
      }
    }
    if (Number(suite.attrs.tests) !== cases.length) problems.push(`suite ${suite.attrs.name}: tests=${suite.attrs.tests} but ${cases.length} test cases`);
    if (Number(suite.attrs.failures) !== failures) problems.push(`suite ${suite.attrs.name}: failures=${suite.attrs.failures} but ${failures} failures`);
    if ('skipped' in suite.attrs && Number(suite.attrs.skipped) !== skipped)
      problems.push(`suite ${suite.attrs.name}: skipped=${suite.attrs.skipped} but ${skipped}`);
    allTests += cases.length;
    allFailures += failures;
  }
  if ('tests' in root.attrs && Number(root.attrs.tests) !== allTests) problems.push(`testsuites tests=${root.attrs.tests} but ${allTests}`);
  if ('failures' in root.attrs && Number(root.attrs.failures) !== allFailures) problems.push(`testsuites failures=${root.attrs.failures} but ${allFailures}`);
  return problems;
}
