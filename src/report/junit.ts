/**
 * JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one <testsuite> per run (broker and
 * scenario), one <testcase> per check — the run itself, each threshold, each QoS delivery verdict — and for
 * `compare --fail-on` one per gate. Follows the common JUnit schema (Jenkins' junit-10.xsd): testsuites >
 * testsuite(name, tests, failures, errors, skipped, time, timestamp) > testcase(name, classname, time) >
 * failure(message, type) | skipped.
 */
import type { Results } from '../metrics/types.js';
import { brokerLabel, scenarioLabel } from './compare.js';
import type { FailOnResult } from './failOn.js';
import { fmtThresholdActual } from './thresholdTable.js';

export interface JunitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time?: number;
  failure?: { message: string; type: string; text?: string };
  skipped?: string;
  /** Written as <system-out> (e.g. the measured change of a gate that held). */
  output?: string;
}

export interface JunitSuite {
  name: string;
  timestamp?: string;
  /** Seconds. */
  time?: number;
  cases: JunitCase[];
}

/** Characters XML 1.0 cannot carry at all are dropped; markup characters escaped. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number): string => ` ${name}="${xmlEscape(String(value))}"`;
const secs = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '0' : x.toFixed(3));

function caseXml(c: JunitCase): string {
  const open = `    <testcase${attr('name', c.name)}${attr('classname', c.classname)}${attr('time', secs(c.time))}`;
  if (c.failure)
    return `${open}>\n      <failure${attr('message', c.failure.message)}${attr('type', c.failure.type)}>${xmlEscape(c.failure.text ?? c.failure.message)}</failure>\n    </testcase>`;
  if (c.skipped !== undefined) return `${open}>\n      <skipped${attr('message', c.skipped)}/>\n    </testcase>`;
  if (c.output !== undefined) return `${open}>\n      <system-out>${xmlEscape(c.output)}</system-out>\n    </testcase>`;
  return `${open}/>`;
}

/** The XML document for the suites. */
export function renderJunit(suites: readonly JunitSuite[], name = 'mqbench'): string {
  const count = (s: JunitSuite, k: 'failure' | 'skipped') => s.cases.filter((c) => c[k] !== undefined).length;
  const total = (k: 'failure' | 'skipped') => suites.reduce((n, s) => n + count(s, k), 0);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const time = suites.reduce((n, s) => n + (s.time ?? 0), 0);
  const body = suites.map((s) =>
    [
      `  <testsuite${attr('name', s.name)}${attr('tests', s.cases.length)}${attr('failures', count(s, 'failure'))}${attr('errors', 0)}${attr('skipped', count(s, 'skipped'))}${attr('time', secs(s.time))}${s.timestamp ? attr('timestamp', s.timestamp.replace(/\.\d+Z$|Z$/, '')) : ''}>`,
      ...s.cases.map(caseXml),
      '  </testsuite>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr('name', name)}${attr('tests', tests)}${attr('failures', total('failure'))}${attr('errors', 0)}${attr('time', secs(time))}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

/** The checks of one run: it completed, each threshold held, each QoS class kept its delivery promise. */
export function runSuite(r: Results, opts: { label?: string; repeat?: number } = {}): JunitSuite {
  const broker = opts.label ?? brokerLabel(r);
  const scenario = scenarioLabel(r);
  const classname = `mqbench.${broker}.${scenario}`.replace(/\s+/g, '_');
  const time = typeof r.durationSec === 'number' ? r.durationSec : undefined;
  const cases: JunitCase[] = [];
  cases.push(
    r.status === 'complete'
      ? { name: 'run completed', classname, time }
      : { name: 'run completed', classname, time, failure: { message: `run ${r.status}: ${r.statusReason ?? 'unknown reason'}`, type: 'run' } },
  );
  for (const t of Array.isArray(r.thresholds) ? r.thresholds : []) {
    const actual = `actual ${fmtThresholdActual(t)}`;
    cases.push(
      t.ok
        ? { name: `threshold ${t.expression}`, classname }
        : { name: `threshold ${t.expression}`, classname, failure: { message: `${t.expression} failed: ${t.note ?? actual}`, type: 'threshold' } },
    );
  }
  for (const q of ['0', '1', '2'] as const) {
    const d = r.summary?.byQos?.[q];
    if (!d) continue;
    cases.push(
      d.ok
        ? { name: `QoS ${q} delivery verdict`, classname }
        : { name: `QoS ${q} delivery verdict`, classname, failure: { message: d.verdict, type: 'verdict' } },
    );
  }
  const name = `${broker} / ${scenario}${opts.repeat !== undefined ? ` #${opts.repeat}` : ''}`;
  return { name, timestamp: typeof r.startedAt === 'string' ? r.startedAt : undefined, time, cases };
}

/** A suite for a capacity search: the search found a load within the SLO, plus the run checks of that step. */
export function capacitySuite(r: Results, found: { maxLoad: number | null; reason: string; unit: string }, label?: string): JunitSuite {
  const s = runSuite(r, { label });
  const classname = s.cases[0].classname;
  const c: JunitCase =
    found.maxLoad === null
      ? { name: 'capacity within SLO', classname, failure: { message: `no sustainable ${found.unit} found: ${found.reason}`, type: 'capacity' } }
      : { name: `capacity within SLO: ${Math.round(found.maxLoad)} ${found.unit}`, classname };
  return { ...s, cases: [c, ...s.cases] };
}

/** A suite for `compare --fail-on`: one case per gate. */
export function failOnSuite(results: readonly FailOnResult[], name: string): JunitSuite {
  const classname = `mqbench.compare.${name}`.replace(/\s+/g, '_');
  return {
    name: `regression gates: ${name}`,
    cases: results.map((g) =>
      g.ok
        ? { name: g.expression, classname, output: g.detail }
        : { name: g.expression, classname, failure: { message: `regression: ${g.expression}: ${g.detail}`, type: 'regression' } },
    ),
  };
}
