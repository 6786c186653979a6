import { describe, expect, it } from 'vitest';
import { loaded, problemLines } from '../../test/helpers/scenario.js';
import { parseScenarioText } from './load.js';

const yaml = (thresholds: string) => `name: t
groups:
  - name: devices
    count: 2
    subscribe: [ "t/{i}" ]
thresholds:
${thresholds}
`;

const problems = (text: string): string[] => problemLines(parseScenarioText(text, 's.yaml', {}));

describe('scenario thresholds', () => {
  it('parses valid expressions once, keeping their text', () => {
    const { scenario } = loaded(parseScenarioText(yaml('  - "endToEnd.p99 < 50ms"\n  - messages.lost == 0'), 's.yaml', {}));
    expect(scenario.thresholds).toEqual([
      { expression: 'endToEnd.p99 < 50ms', metric: 'endToEnd.p99', kind: 'latency', op: '<', value: 50 },
      { expression: 'messages.lost == 0', metric: 'messages.lost', kind: 'count', op: '==', value: 0 },
    ]);
  });

  it('reports each invalid expression at its position, with the hint, all at once', () => {
    expect(problems(yaml('  - "endToEnd.p99 < 50ms"\n  - "endToEnd.p99.9 < 5ms"\n  - messages.lost = 0\n  - 5'))).toEqual([
      's.yaml:8:5 thresholds[1]: unknown metric "endToEnd.p99.9" (hint: did you mean "endToEnd.p999"?)',
      's.yaml:9:5 thresholds[2]: "=" is not a comparison (hint: did you mean "=="?)',
      's.yaml:10:5 thresholds[3]: expected text, got 5',
    ]);
  });
});
