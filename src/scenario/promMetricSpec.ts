/**
 * How a user names Prometheus metrics for broker observation (target.observe.prometheus, --broker-metric): the
 * preset names and `field=metric{labels}[*k|/k]` custom metrics. Pure parsing, checked when the scenario loads;
 * the scrape itself is src/observe.
 */

/** The presets src/observe/promPresets.ts knows (one per broker or exporter). */
export const PRESET_NAMES: readonly string[] = ['emqx', 'rabbitmq', 'node_exporter', 'process'];

export type LabelMatch = { label: string; op: '=' | '!='; value: string };

export interface Selector {
  name: string;
  matchers: LabelMatch[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** Parses `name` or `name{a="b",c!="d"}`; throws an Error that says what is wrong. */
export function parseSelector(text: string): Selector {
  const t = text.trim();
  const brace = t.indexOf('{');
  const name = brace < 0 ? t : t.slice(0, brace).trim();
  if (!NAME.test(name)) throw new Error(`"${text}": "${name}" is not a Prometheus metric name`);
  if (brace < 0) return { name, matchers: [] };
  if (!t.endsWith('}')) throw new Error(`"${text}": the label list must end with "}"`);
  const body = t.slice(brace + 1, -1).trim();
  const matchers: LabelMatch[] = [];
  // Split on commas outside quotes.
  for (const part of body === '' ? [] : (body.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [])) {
    const m = MATCHER.exec(part);
    if (!m) throw new Error(`"${text}": cannot read the label matcher "${part.trim()}" (write label="value" or label!="value")`);
    matchers.push({ label: m[1], op: m[2] as '=' | '!=', value: m[3].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) });
  }
  return { name, matchers };
}

/** `field=selector[*k|/k]`: a known field (e.g. cpuSeconds, rssBytes) or any other name (kept under `extra`). */
export interface CustomMetric {
  field: string;
  selector: Selector;
  scale: number;
}

/** Parses one custom metric spec; throws an Error that says what is wrong and what is expected. */
export function parseCustomMetric(spec: string): CustomMetric {
  const eq = spec.indexOf('=');
  const field = eq < 0 ? '' : spec.slice(0, eq).trim();
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(field)) {
    throw new Error(`custom metric "${spec}": write name=metric{labels}, e.g. cpuSeconds=process_cpu_seconds_total or queueDepth=my_queue_messages{queue="a"}`);
  }
  let rest = spec.slice(eq + 1).trim();
  let scale = 1;
  const unit = /\s*([*/])\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$/.exec(rest);
  if (unit) {
    const k = Number(unit[2]);
    if (k === 0) throw new Error(`custom metric "${spec}": cannot scale by 0`);
    scale = unit[1] === '*' ? k : 1 / k;
    rest = rest.slice(0, unit.index);
  }
  return { field, selector: parseSelector(rest), scale };
}
