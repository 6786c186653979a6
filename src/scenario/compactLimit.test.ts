import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../shared/errors.js';
import { parseScenarioText } from './load.js';

const yaml = (first: number, size: string) => `
name: big
groups:
  - name: quiet
    count: ${first}
  - name: sensors
    count: 7000000
    publish: { topic: "t/{i}", every: 10s, payload: { size: ${size} } }
`;

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'big.yaml', {});
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
  }
}

describe('compact header publisher range', () => {
  it('refuses small payloads from clients whose run-wide index reaches 2^24, at the size', () => {
    expect(problems(yaml(10_000_000, '16'))).toEqual([
      "8:61 payloads under 32 B carry the compact header, which numbers publishers below 16,777,216, but this group's clients reach index 16,999,999 of the run",
    ]);
    expect(problems(yaml(10_000_000, '"20..64"'))).toHaveLength(1);
  });

  it('accepts them below the limit, and any size from 32 B on', () => {
    expect(problems(yaml(9_777_216, '16'))).toEqual([]);
    expect(problems(yaml(10_000_000, '32'))).toEqual([]);
  });
});
