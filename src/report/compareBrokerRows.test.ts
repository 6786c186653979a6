import { describe, expect, it } from 'vitest';
import { makeBrokerResults } from '../observe/brokerFixture.test-helper.js';
import { BROKER_COMPARE_ROWS } from './compareBrokerRows.js';
import { COMPARE_ROWS } from './compareRows.js';
import { makeResults } from './fixture.test-helper.js';

const shown = (label: string, r: ReturnType<typeof makeResults>) => {
  const row = BROKER_COMPARE_ROWS.find((x) => x.label === label)!;
  const v = row.read(r);
  return v === undefined ? undefined : typeof v === 'number' ? row.format(v) : v;
};

describe('broker rows in compare', () => {
  it('read CPU, busiest thread, RSS, CPU per 1k messages, memory per connection and the counts difference', () => {
    const r = { ...makeResults(), broker: makeBrokerResults() };
    expect(shown('broker CPU avg (cores)', r)).toBe('0.50');
    expect(shown('broker busiest thread max (cores)', r)).toBe('0.99');
    expect(shown('broker memory max (RSS)', r)).toBe('6.00 MiB');
    expect(shown('broker CPU per 1k msgs in (ms)', r)).toBe('250');
    expect(shown('broker memory per connection', r)).toBe('5.10 KiB');
    expect(shown('broker − mqbench counts (in / out)', r)).toBe('0 / -10');
    expect(BROKER_COMPARE_ROWS.every((row) => row.group === 'broker')).toBe(true);
    expect(BROKER_COMPARE_ROWS.filter((row) => row.label.startsWith('broker CPU')).every((row) => row.better === 'lower')).toBe(true);
  });

  it('are among the compare rows, and read nothing for a run that did not watch the broker', () => {
    for (const row of BROKER_COMPARE_ROWS) expect(COMPARE_ROWS).toContain(row);
    for (const row of BROKER_COMPARE_ROWS) expect(row.read(makeResults())).toBeUndefined();
  });
});
