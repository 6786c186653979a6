import { describe, expect, it } from 'vitest';
import { parseYaml } from './positions.js';
import { describeSyntaxError } from './syntax.js';

describe('YAML syntax errors in plain words', () => {
  it.each<[string, string, number, number, RegExp, RegExp | undefined]>([
    [
      'duplicate key, named',
      'name: a\nduration: 1s\nduration: 2s\n',
      3,
      1,
      /the key "duration" appears twice in the same mapping$/,
      /each key may be written once/,
    ],
    ['duplicate quoted key', 'a:\n  "x y": 1\n  "x y": 2\n', 3, 3, /the key "x y" appears twice/, /each key may be written once/],
    ['a second document', 'name: a\n---\nname: b\n', 2, 1, /more than one YAML document/, /one scenario per file/],
    ['a "..." end marker then more text', 'name: a\n...\nname: b\n', 3, 1, /more than one YAML document/, /one scenario per file/],
    ['tab indentation', 'a:\n\tb: 1\n', 2, 1, /Tabs are not allowed as indentation/, /indent with spaces/],
    ['an unclosed quote, at its opening quote', 'a: "open\nb: 1\n', 1, 4, /this quoted value is never closed/, /add the closing quote/],
    ['an unclosed quote after escaped ones', 'a: ok\nb: "x\\"y\nc: 1\n', 2, 4, /never closed/, undefined],
    ["an unclosed single quote after ''", "a: ok\nb: 'it''s\n", 2, 4, /never closed/, undefined],
    ['an unclosed flow mapping', 'g:\n  - a: { b: 1\n  - c: 2\n', 3, 3, /end with a \}/, /end the value with \} or \]/],
    ['a colon inside a plain value', 'a:\n  - topic: cmd: x\n', 2, 12, /Nested mappings/, /quote a value that contains ": "/],
    ['a key indented too little', 'g:\n  - a: 1\n    b: 2\n   c: 3\n', 4, 1, /Sequence item without - indicator/, /check the indentation/],
  ])('%s', (_label, text, line, col, message, hint) => {
    const [p] = parseYaml(text).problems;
    expect(p).toMatchObject({ line, col });
    expect(p.message).toMatch(/^YAML syntax error: /);
    expect(p.message).toMatch(message);
    expect(p.message).not.toMatch(/parseAllDocuments|at line \d+/);
    if (hint) expect(p.hint).toMatch(hint);
  });

  it('keeps the ${VAR} quoting hint for errors on a line that uses ${', () => {
    expect(describeSyntaxError('UNEXPECTED_TOKEN', 'Unexpected flow-map-start at node end at line 1, column 9:', 'a: { b: ${X} }', 9).hint).toContain(
      'quote values that use ${VAR}',
    );
  });

  it('a duplicate key it cannot read is still described', () => {
    expect(describeSyntaxError('DUPLICATE_KEY', 'Map keys must be unique', '? [a]', 1).message).toBe(
      'YAML syntax error: a key appears twice in the same mapping',
    );
  });
});
