import { describe, expect, it } from 'vitest';
import { evaluateFailOn, parseFailOn } from './failOn.js';
import { makeResults } from './fixture.test-helper.js';
import { capacitySuite, failOnSuite, renderJunit, runSuite } from './junit.js';
import { junitProblems, parseXml } from './junitSchema.test-helper.js';

function checked() {
  const r = makeResults({ target: { label: 'mosquitto' } });
  r.scenarioFile = 'fanout.yaml';
  r.thresholds = [
    { expression: 'endToEnd.p99 < 50ms', actual: 1.24, ok: true },
    { expression: 'messages.lost == 0', actual: 3, ok: false },
  ];
  r.summary.byQos = {
    '1': { expected: 100, received: 97, lost: 3, duplicated: 0, outOfOrder: 0, ok: false, verdict: 'QoS 1 promise broken: 3 of 100 deliveries lost' },
    '0': { expected: 10, received: 10, lost: 0, duplicated: 0, outOfOrder: 0, ok: true, verdict: 'QoS 0: all delivered' },
  };
  return r;
}

describe('JUnit XML', () => {
  it('has one test case per threshold and verdict, per broker and scenario, valid against the JUnit schema', () => {
    const other = checked();
    other.target.label = 'rabbit<mq>&"co"';
    const xml = renderJunit([runSuite(checked(), { repeat: 1 }), runSuite(other, { repeat: 1 })]);
    expect(junitProblems(xml)).toEqual([]);
    const root = parseXml(xml);
    expect(root.attrs).toMatchObject({ tests: '10', failures: '4' });
    const [suite, second] = root.children;
    expect(suite.attrs).toMatchObject({ name: 'mosquitto / fanout.yaml #1', tests: '5', failures: '2', timestamp: '2025-03-04T05:06:07' });
    expect(second.attrs.name).toBe('rabbit<mq>&"co" / fanout.yaml #1');
    expect(suite.children.map((c) => c.attrs.name)).toEqual([
      'run completed',
      'threshold endToEnd.p99 < 50ms',
      'threshold messages.lost == 0',
      'QoS 0 delivery verdict',
      'QoS 1 delivery verdict',
    ]);
    const lost = suite.children[2].children[0];
    expect(lost).toMatchObject({ name: 'failure', attrs: { type: 'threshold' } });
    expect(lost.attrs.message).toContain('messages.lost == 0 failed');
    expect(suite.children[4].children[0].attrs.message).toContain('3 of 100 deliveries lost');
  });

  it('fails the run case of a partial run and drops characters XML cannot carry', () => {
    const r = makeResults({ status: 'partial', statusReason: 'broker went away\u0001' });
    const xml = renderJunit([runSuite(r)]);
    expect(junitProblems(xml)).toEqual([]);
    expect(parseXml(xml).children[0].children[0].children[0].attrs.message).toBe('run partial: broker went away');
  });

  it('a capacity search is one more case', () => {
    const r = checked();
    const pass = renderJunit([capacitySuite(r, { maxLoad: 4000, reason: 'bisected', unit: 'msg/s' })]);
    expect(junitProblems(pass)).toEqual([]);
    expect(parseXml(pass).children[0].children[0].attrs.name).toBe('capacity within SLO: 4000 msg/s');
    const none = renderJunit([capacitySuite(r, { maxLoad: null, reason: 'the first step missed the SLO', unit: 'msg/s' })]);
    expect(parseXml(none).children[0].children[0].children[0].attrs.message).toBe('no sustainable msg/s found: the first step missed the SLO');
  });

  it('the validator catches what the schema forbids', () => {
    expect(
      junitProblems('<testsuites><testsuite name="x" tests="2" failures="0" errors="0"><testcase name="a" classname="c"/></testsuite></testsuites>'),
    ).toEqual(['suite x: tests=2 but 1 test cases']);
    expect(junitProblems('<testsuites><testsuite tests="0" failures="0" errors="0"/></testsuites>')).toEqual(['<testsuite> lacks name']);
    expect(junitProblems('<testsuites><testsuite name="a&b" tests="0" failures="0" errors="0"/></testsuites>')[0]).toMatch(/not well-formed/);
    expect(
      junitProblems(
        '<testsuites><testsuite name="x" tests="1" failures="1" errors="0"><testcase name="a" classname="c"><failure/></testcase></testsuite></testsuites>',
      ),
    ).toEqual(['<failure> lacks message', '<failure> lacks type']);
  });
});

describe('--fail-on regression gates', () => {
  const run = (p99: number, received = 2000) => {
    const r = makeResults();
    r.summary.latencyMs.endToEnd = { ...r.summary.latencyMs.endToEnd, p99 };
    r.summary.throughput = { sentPerSec: 2000, receivedPerSec: received };
    return r;
  };
  const gates = parseFailOn('endToEnd.p99 > +10%, throughput.receivedPerSec < -5%');

  it('parses gates and refuses unknown metrics and forms with a hint', () => {
    expect(gates.ok && gates.checks.map((c) => [c.metric.path, c.op, c.limit])).toEqual([
      ['endToEnd.p99', '>', 0.1],
      ['throughput.receivedPerSec', '<', -0.05],
    ]);
    const bad = parseFailOn('endToEnd.p98 > 10%');
    expect(bad).toMatchObject({ ok: false, message: '--fail-on: unknown metric "endToEnd.p98"' });
    expect(parseFailOn('endToEnd.p99 > 10ms')).toMatchObject({ ok: false });
  });

  it('one run per side: fails on the relative change alone', () => {
    if (!gates.ok) throw new Error('gates');
    const res = evaluateFailOn([run(10)], [run(12, 1800)], gates.checks);
    expect(res.map((g) => [g.ok, g.detail])).toEqual([
      [false, '+20.0 %'],
      [false, '−10.0 %'],
    ]);
    expect(evaluateFailOn([run(10)], [run(10.5)], gates.checks).every((g) => g.ok)).toBe(true);
  });

  it('with repeats: a change beyond the limit within noise does not fail; a significant one does', () => {
    if (!gates.ok) throw new Error('gates');
    const noisy = evaluateFailOn([run(10), run(14), run(7)], [run(11.5), run(8), run(15)], gates.checks);
    expect(noisy[0].ok).toBe(true);
    expect(noisy[0].detail).toContain('within noise');
    const slowed = evaluateFailOn([run(10), run(10.2), run(9.9)], [run(13), run(13.1), run(12.9)], gates.checks);
    expect(slowed[0].ok).toBe(false);
    expect(slowed[0].detail).toMatch(/^\+30\.0 % \[/);
    const xml = renderJunit([failOnSuite(slowed, 'current vs baseline')]);
    expect(junitProblems(xml)).toEqual([]);
    expect(xml).toContain('message="regression: endToEnd.p99 &gt; +10%: +30.0 %');
  });

  it('a partial run or a figure without data fails its gate', () => {
    if (!gates.ok) throw new Error('gates');
    const partial = run(10);
    partial.status = 'partial';
    expect(evaluateFailOn([run(10)], [partial], gates.checks)[0]).toMatchObject({ ok: false, detail: 'current: a run is partial' });
  });
});
