import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PrometheusExporter } from '../report/prometheus.js';
import { measure } from '../thresholds/measure.js';
import { findMetric, METRIC_PATHS } from '../thresholds/metrics.js';
import { Aggregator } from './aggregate.js';
import { COUNTER_CATALOGUE, COUNTER_KEYS, PROMETHEUS_COUNTERS } from './catalogue.js';
import type { Counters } from './counterFields.js';
import { zeroCounters } from './counters.js';
import { HISTOGRAM_KEYS } from './histogramKeys.js';
import { emptyMeasurement } from './measurement.js';
import { mergeResults } from './merge.js';
import { resultsOf, segmentInfo, snapshot } from './snapshots.test-helper.js';
import type { Summary } from './summary.js';
import { FIGURES, HISTOGRAM_CATALOGUE, LATENCY_STATS, type Section } from './summaryCatalogue.js';
import { summaryOf } from './summaryOf.js';
import { withTail } from './tail.js';

/** The member names of an interface, read from its source with the TypeScript parser (independent of the catalogue). */
function interfaceMembers(file: string, name: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(new URL(file, import.meta.url), 'utf8'), ts.ScriptTarget.Latest);
  const found = src.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`no interface ${name} in ${file}`);
  return found.members.map((m) => (m.name as ts.Identifier).text);
}

/** A summary figure by dotted path (`byQos.1.expected`). */
function at(summary: Summary, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], summary);
}

/** Every counter with a distinct value: counter i is (i + 1) × scale. */
function distinct(scale: number): Counters {
  const c = zeroCounters();
  COUNTER_KEYS.forEach((k, i) => (c[k] = (i + 1) * scale));
  return c;
}

describe('the metrics catalogue', () => {
  it('has exactly one entry per field of Counters, as declared in counterFields.ts', () => {
    expect([...COUNTER_KEYS].sort()).toEqual(interfaceMembers('./counterFields.ts', 'Counters').sort());
    expect(Object.keys(zeroCounters()).sort()).toEqual([...COUNTER_KEYS].sort());
  });

  it('merges every counter by its rule, in threads (Aggregator) and across segments (mqbench merge)', () => {
    const a = distinct(1);
    const b = distinct(1000);
    const agg = new Aggregator(0);
    agg.add(snapshot({ workerIndex: 0, at: 1000, counters: a }));
    agg.add(snapshot({ workerIndex: 1, at: 1000, counters: b }));
    const merged = mergeResults(
      [0, 1].map((i) => ({ path: `s${i}.json`, results: resultsOf([snapshot({ workerIndex: 0, at: 1000, counters: [a, b][i] })], segmentInfo(i, 2)) })),
    );
    for (const k of COUNTER_KEYS) {
      const want = COUNTER_CATALOGUE[k].merge === 'sum' ? a[k] + b[k] : Math.max(a[k], b[k]);
      expect({ k, agg: agg.measured[k], all: agg.all[k], merged: merged.counters?.[k] }).toEqual({ k, agg: want, all: want, merged: want });
    }
  });

  it.each(COUNTER_KEYS.map((k) => [k]))('%s lands in the summary where the catalogue says (or says why not)', (key) => {
    const spec = COUNTER_CATALOGUE[key];
    // Every QoS class carried traffic (a class with none is left out of byQos), then the counter grows by 7.
    const traffic = () => {
      const m = emptyMeasurement();
      for (const q of [0, 1, 2] as const) m.counters[`q${q}Expected`] = m.counters[`q${q}Unique`] = 100;
      return m;
    };
    const zero = summaryOf(traffic(), 10);
    const one = traffic();
    one.counters[key] += 7;
    const seven = summaryOf(one, 10);
    if (spec.summary.length === 0) expect(spec.notInSummary ?? '').not.toBe('');
    for (const path of spec.summary)
      expect({ path, changed: at(seven, path) !== undefined && at(seven, path) !== at(zero, path) }).toEqual({ path, changed: true });
  });

  it('catalogues every numeric figure of summary.connections, messages and throughput, and nothing else', () => {
    const one = emptyMeasurement();
    Object.assign(one.counters, distinct(1));
    const s = withTail(summaryOf(one, 10), [], 0); // with the late-or-lost split the run adds (tail.ts)
    for (const section of ['connections', 'messages', 'throughput'] as const) {
      const numeric = Object.entries(s[section])
        .filter(([, v]) => typeof v === 'number')
        .map(([k]) => k);
      expect([section, numeric.sort()]).toEqual([section, Object.keys(FIGURES[section]).sort()]);
    }
  });

  it('exports every counter the catalogue names on Prometheus, with the names dashboards already use', async () => {
    expect(PROMETHEUS_COUNTERS.map((p) => p.name)).toEqual([
      'connections_attempted',
      'connections_succeeded',
      'connections_failed',
      'connections_lost',
      'connections_reconnected',
      'messages_sent',
      'messages_acked',
      'messages_received',
      'messages_expected',
      'messages_duplicated',
      'messages_out_of_order',
      'late_sends',
      'publish_errors',
      'missed_sends',
    ]);
    const agg = new Aggregator(0);
    const c = distinct(3);
    agg.add(snapshot({ workerIndex: 0, at: 1000, counters: c }));
    const ex = new PrometheusExporter({ scenario: 'unit', target: 'mqtt://x', version: '0' });
    ex.update(agg);
    const text = await ex.metrics();
    for (const p of PROMETHEUS_COUNTERS) {
      expect(text).toContain(`# HELP mqbench_${p.name}_total ${p.help}`);
      expect(text).toContain(`\nmqbench_${p.name}_total ${c[p.key]}\n`);
    }
    const exported = [...text.matchAll(/^mqbench_(\w+)_total /gm)].map((m) => m[1]);
    expect(exported.sort()).toEqual(PROMETHEUS_COUNTERS.map((p) => p.name).sort());
    for (const k of HISTOGRAM_KEYS) expect(text).toContain(`kind="${HISTOGRAM_CATALOGUE[k].prometheusKind}"`);
  });

  it('resolves every threshold-addressable figure to the summary value it names, and no other figure', () => {
    const one = emptyMeasurement();
    Object.assign(one.counters, distinct(5));
    const s = withTail(summaryOf(one, 10), [], 0);
    for (const section of ['connections', 'messages', 'throughput'] as Section[]) {
      for (const [field, spec] of Object.entries(FIGURES[section])) {
        const path = `${section}.${field}`;
        const metric = findMetric(path);
        if (!spec.threshold) {
          expect({ path, metric }).toEqual({ path, metric: undefined });
          continue;
        }
        expect({ path, kind: metric?.kind }).toEqual({ path, kind: spec.kind });
        expect({ path, value: measure(s, metric!.source).value }).toEqual({ path, value: (s[section] as unknown as Record<string, number>)[field] });
      }
    }
    for (const k of HISTOGRAM_KEYS) for (const stat of LATENCY_STATS) expect(findMetric(`${k}.${stat}`)?.kind).toBe('latency');
    const fields = Object.values(FIGURES).reduce((n, f) => n + Object.values(f).filter((x) => x.threshold).length, 0);
    expect(METRIC_PATHS.length).toBe(fields + HISTOGRAM_KEYS.length * LATENCY_STATS.length);
  });
});
