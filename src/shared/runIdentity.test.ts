import { describe, expect, it } from 'vitest';
import { canonicalJson, checkRunId, deriveRunId, runTagOf, scenarioHash } from './runIdentity.js';

describe('run identity', () => {
  it('derives the same 32-bit run tag from the same run id, different ones otherwise', () => {
    expect(runTagOf('abc')).toBe(runTagOf('abc'));
    expect(runTagOf('abc')).not.toBe(runTagOf('abd'));
    expect(Number.isInteger(runTagOf('abc')) && runTagOf('abc') >= 0 && runTagOf('abc') < 2 ** 32).toBe(true);
  });

  it('accepts only ids safe in client ids and topics', () => {
    expect(checkRunId('bench-2030_01')).toBeNull();
    for (const bad of ['', 'a/b', 'a+b', '#', 'x'.repeat(33), 'a b']) expect(checkRunId(bad)).toMatch(/must be/);
  });

  it('hashes scenarios by content: key order and the broker URL do not matter, anything else does', () => {
    const a = { name: 's', target: { url: 'mqtt://a', mqttVersion: 4 }, durationMs: 1000 };
    const b = { durationMs: 1000, target: { mqttVersion: 4, url: 'mqtt://b' }, name: 's' };
    expect(scenarioHash(a)).toBe(scenarioHash(b));
    expect(scenarioHash(a)).toBe(scenarioHash(JSON.parse(JSON.stringify(a))));
    expect(scenarioHash({ ...a, durationMs: 2000 })).not.toBe(scenarioHash(a));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('derives one run id from the start time and scenario hash', () => {
    expect(deriveRunId(1_900_000_000_000, 'h')).toBe(deriveRunId(1_900_000_000_000, 'h'));
    expect(deriveRunId(1_900_000_000_000, 'h')).not.toBe(deriveRunId(1_900_000_000_001, 'h'));
    expect(checkRunId(deriveRunId(1, 'h'))).toBeNull();
  });
});
