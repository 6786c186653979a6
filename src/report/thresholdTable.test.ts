import { describe, expect, it } from 'vitest';
import { checkThresholds } from '../thresholds/evaluate.js';
import { parsed } from '../thresholds/parsed.test-helper.js';
import { makeResults, rowCells } from './fixture.test-helper.js';
import { renderSummary } from './table.js';
import { thresholdsLine } from './thresholdTable.js';

describe('the Thresholds part of the summary', () => {
  const results = makeResults({ messages: { lost: 2 } });
  results.thresholds = checkThresholds(
    results,
    parsed(['endToEnd.p99 < 50ms', 'messages.lost == 0', 'throughput.receivedPerSec >= 1000/s', 'reconnect.p99 < 1s']),
  );
  const text = renderSummary(results);

  it('lists each expression with the actual figure in its unit and pass/FAIL', () => {
    expect(text).toContain('\nThresholds\n');
    expect(rowCells(text, 'threshold')).toEqual(['threshold', 'actual', 'result']);
    expect(rowCells(text, 'endToEnd.p99 < 50ms')).toEqual(['endToEnd.p99 < 50ms', '1.24 ms', 'pass']);
    expect(rowCells(text, 'messages.lost == 0')).toEqual(['messages.lost == 0', '2', 'FAIL']);
    expect(rowCells(text, 'throughput.receivedPerSec >= 1000/s')).toEqual(['throughput.receivedPerSec >= 1000/s', '2,000/s', 'pass']);
    expect(rowCells(text, 'reconnect.p99 < 1s')).toEqual(['reconnect.p99 < 1s', 'no samples', 'FAIL']);
  });

  it('is absent when the run had no thresholds', () => {
    expect(renderSummary(makeResults())).not.toContain('Thresholds');
  });

  it('colors failures red and passes green only when color is on', () => {
    const colored = renderSummary(results, { color: true });
    expect(colored).toContain('\x1b[31mFAIL\x1b[39m');
    expect(colored).toContain('\x1b[32mpass\x1b[39m');
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(text);
  });

  it('sums up in one line', () => {
    expect(thresholdsLine(results.thresholds ?? [])).toBe('Thresholds: 2 of 4 failed');
    expect(thresholdsLine([{ expression: 'x', actual: 0, ok: true }])).toBe('Thresholds: the threshold passed');
    expect(
      thresholdsLine([
        { expression: 'x', actual: 0, ok: true },
        { expression: 'y', actual: 0, ok: true },
      ]),
    ).toBe('Thresholds: all 2 passed');
  });
});
