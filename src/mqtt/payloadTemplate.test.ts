import { describe, expect, it } from 'vitest';
import { parsePayloadTemplate, renderPayloadTemplate } from './payloadTemplate.js';

const values = { i: 7, group: 'sensors', clientId: 'dev-7', run: 'abc', seq: 42, ts: 1_795_000_000_000 };

describe('payload templates (parsed, never evaluated)', () => {
  it('fills values and seeded generated fields into valid JSON', () => {
    const p = parsePayloadTemplate('{"id": "{clientId}", "n": {seq}, "temp": {float:15..30}, "level": {int:1..3}, "state": "{choice:on|off}"}');
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const a = JSON.parse(renderPayloadTemplate(p.parts, values, 1));
    expect(a).toMatchObject({ id: 'dev-7', n: 42 });
    expect(a.temp).toBeGreaterThanOrEqual(15);
    expect(a.temp).toBeLessThanOrEqual(30);
    expect([1, 2, 3]).toContain(a.level);
    expect(['on', 'off']).toContain(a.state);
    expect(renderPayloadTemplate(p.parts, values, 1)).toBe(renderPayloadTemplate(p.parts, values, 1)); // seeded
  });

  it.each([
    ['{"a": {nope}}', /unknown placeholder \{nope\}/],
    ['{"a": {int:5..1}}', /needs a range/],
    ['{"a": {choice:on}', /not valid JSON/],
    ['[1, 2]', /must be a JSON object/],
    ['{"a": "x"} ; process.exit()', /not valid JSON/],
  ])('%s is refused with a clear message', (src, message) => {
    const p = parsePayloadTemplate(src);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(message);
  });
});
