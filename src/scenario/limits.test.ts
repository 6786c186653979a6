import { describe, expect, it } from 'vitest';
import { loaded, problems } from '../../test/helpers/scenario.js';
import { INVALID, type Invalid } from './decode.js';
import { checkLimits } from './limits.js';
import { parseScenarioText } from './load.js';

/** The groups of a checked document: a count, or INVALID where the count failed its own check. */
const doc = (...counts: (number | Invalid)[]) => ({ groups: counts.map((count): { count: number | Invalid } => ({ count })) });

describe('checkLimits: more connections than one process can hold', () => {
  it('no limit, no check', () => {
    expect(checkLimits(doc(9_000_000), {})).toEqual([]);
  });

  it('at or under the limit is fine', () => {
    expect(checkLimits(doc(10_000, 9_900), { maxConnections: 19_900 })).toEqual([]);
  });

  it('points at the count of the group where the running total first exceeds the limit', () => {
    const [p, ...rest] = checkLimits(doc(15_000, 10_000, 1), { maxConnections: 19_900, openFiles: 20_000 });
    expect(rest).toEqual([]);
    expect(p).toEqual({
      path: ['groups', 1, 'count'],
      message: 'the scenario opens 25,001 connections but one mqbench process can hold about 19,900 (open-files limit 20,000)',
      hint: 'run it as 2 or more processes (--processes N on one machine, --segment i/N across machines), or raise ulimit -n',
    });
  });

  it('split over processes, each holds a share of every group (rounded up)', () => {
    expect(checkLimits(doc(51_000), { maxConnections: 19_900, processes: 3 })).toEqual([]);
    const [p] = checkLimits(doc(50_000, 10_001), { maxConnections: 19_900, processes: 3 });
    expect(p.message).toBe('split over 3 processes, one opens up to 20,001 connections but one mqbench process can hold about 19,900');
    expect(p.hint).toMatch(/^run it as 4 or more processes/);
  });

  it('ignores counts that are invalid (the schema reports those) and says nothing of an unknown file limit', () => {
    const [p] = checkLimits(doc(INVALID, INVALID, 30, 80), { maxConnections: 100 });
    expect(p.path).toEqual(['groups', 3, 'count']);
    expect(p.message).toBe('the scenario opens 110 connections but one mqbench process can hold about 100');
  });

  it('is reported by the loader, positioned at that count, only when limits are passed', () => {
    const text = 'name: s\ngroups:\n  - { name: a, count: 60, clientId: "a-{i}" }\n  - { name: b, count: 50, clientId: "b-{i}" }\n';
    expect(loaded(parseScenarioText(text, 's.yaml', {})).scenario.groups).toHaveLength(2);
    expect(loaded(parseScenarioText(text, 's.yaml', {}, { maxConnections: 110 })).scenario.groups).toHaveLength(2);
    expect(problems(parseScenarioText(text, 's.yaml', {}, { maxConnections: 100, openFiles: 200 }))).toEqual([
      expect.objectContaining({ line: 4, col: 23, path: 'groups[1].count', message: expect.stringContaining('opens 110 connections') }),
    ]);
  });
});
