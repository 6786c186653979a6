import { describe, expect, it } from 'vitest';
import { completeExitCode } from './exitCode.js';
import { makeResults } from '../report/fixture.test-helper.js';
import { deliveryByQos } from '../metrics/qosVerdict.js';
import { zeroCounters } from '../metrics/counters.js';

const withQos1Loss = () => {
  const r = makeResults({ messages: { sent: 100, expected: 100, received: 97, lost: 3 } });
  Object.assign(r.summary, deliveryByQos({ ...zeroCounters(), q1Expected: 100, q1Unique: 97 }));
  return r;
};

describe('completeExitCode', () => {
  it('0 when every promise held and every threshold passed', () => {
    expect(completeExitCode(makeResults(), true, () => undefined)).toBe(0);
  });

  it('3 for a broken promise, said in words; 0 with --no-verdict-fail', () => {
    const said: string[] = [];
    expect(completeExitCode(withQos1Loss(), true, (l) => said.push(l))).toBe(3);
    expect(said).toEqual([
      'mqbench: delivery promise broken: QoS 1: 3 lost, no duplicates — at-least-once broken (exit 3; --no-verdict-fail to report without failing)',
    ]);
    expect(completeExitCode(withQos1Loss(), false, () => undefined)).toBe(0);
  });

  it('3 for a failed threshold whatever --no-verdict-fail says', () => {
    const r = makeResults();
    r.thresholds = [{ expression: 'messages.lost == 0', actual: 0, ok: false, note: 'no data: nothing was expected to arrive' }];
    expect(completeExitCode(r, false, () => undefined)).toBe(3);
  });
});
