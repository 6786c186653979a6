/**
 * The Prometheus text exposition format, parsed by parse-prometheus-text-format (a port of the official
 * Python client's parser), indexed by sample name for lookups with label selectors. Pure.
 *
 * What the library does not give, and this module therefore does not either: histogram buckets and
 * summary quantiles of labelled families (it flattens them); `_count` and `_sum` are kept. OpenMetrics
 * counters (`# TYPE x counter` with samples named `x_total`) come out as their own family, which a
 * lookup by sample name finds all the same.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { LabelMatch, Selector } from '../scenario/promMetricSpec.js';

export { parseSelector, type LabelMatch, type Selector } from '../scenario/promMetricSpec.js';

export interface Series {
  labels: Record<string, string>;
  value: number;
}

/** Sample name → its series; `types` holds each family's TYPE (COUNTER, GAUGE, ...), by sample name too. */
export interface MetricIndex {
  series: Map<string, Series[]>;
  types: Map<string, string>;
}

/** `metric{label="value",other!="x"}`: a sample name and label matchers (all must hold). */

export function indexExposition(text: string): MetricIndex {
  const series = new Map<string, Series[]>();
  const types = new Map<string, string>();
  const add = (name: string, type: string, labels: Record<string, string> | undefined, raw: string | undefined) => {
    const value = raw === undefined ? NaN : Number(raw);
    if (Number.isNaN(value)) return;
    let list = series.get(name);
    if (!list) series.set(name, (list = []));
    list.push({ labels: labels ?? {}, value });
    types.set(name, type);
  };
  for (const family of parsePrometheusTextFormat(text)) {
    for (const m of family.metrics) {
      add(family.name, family.type, m.labels, m.value);
      add(`${family.name}_count`, 'COUNTER', m.labels, m.count);
      add(`${family.name}_sum`, 'COUNTER', m.labels, m.sum);
    }
  }
  return { series, types };
}

const matches = (labels: Record<string, string>, m: LabelMatch): boolean =>
  m.op === '=' ? (labels[m.label] ?? '') === m.value : (labels[m.label] ?? '') !== m.value;

/** The series a selector picks (empty when the metric is absent or no series matches). */
export function select(index: MetricIndex, sel: Selector): Series[] {
  return (index.series.get(sel.name) ?? []).filter((s) => sel.matchers.every((m) => matches(s.labels, m)));
}

/** Sum of the selected series (e.g. a counter split by protocol or by node); null when none matched. */
export function selectSum(index: MetricIndex, sel: Selector): number | null {
  const picked = select(index, sel);
  return picked.length === 0 ? null : picked.reduce((a, s) => a + s.value, 0);
}
