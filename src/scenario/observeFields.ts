/**
 * `target.observe`: where mqbench watches the broker during the run (src/observe) — a process on this machine
 * (`pid`), a Prometheus endpoint (`prometheus: { url, preset, metrics }`) and/or its `$SYS` topics (`sys`).
 * Plain parsers like fieldParsers.ts (each returns the value or throws UnitError) and the mapping's shape.
 */
import { parseCustomMetric, PRESET_NAMES } from './promMetricSpec.js';
import { field } from './decode.js';
import { list, mapping } from './decodeMappings.js';
import { bool, fail, integer, required, text, type Parse } from './fieldParsers.js';
import { show } from './problems.js';
import { redactUrl } from './redact.js';

/** Linux's highest pid (PID_MAX_LIMIT on 64-bit). */
export const MAX_PID = 4_194_304;

export const processId: Parse<number> = (v) => integer(1, MAX_PID)(v);

/** An http:// or https:// URL of a Prometheus metrics endpoint. */
export const metricsUrl: Parse<string> = (v) => {
  required(v);
  if (typeof v !== 'string') fail(`expected a metrics URL like http://127.0.0.1:15692/metrics, got ${show(v)}`);
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    fail(
      `expected an http:// or https:// metrics URL, got ${show(redactUrl(v))}`,
      'e.g. http://127.0.0.1:15692/metrics (RabbitMQ) or http://127.0.0.1:9100/metrics (node_exporter)',
    );
  }
  return v;
};

export const metricsPreset: Parse<string> = (v) => {
  const name = text()(v);
  if (!PRESET_NAMES.includes(name)) fail(`unknown metrics preset ${show(name)}`, `one of: ${PRESET_NAMES.join(', ')}`);
  return name;
};

/** `field=metric{labels}` (optionally `*k` or `/k`), checked by the Prometheus source's own parser. */
export const customMetric: Parse<string> = (v) => {
  const spec = text()(v);
  try {
    parseCustomMetric(spec);
  } catch (err) {
    fail((err as Error).message);
  }
  return spec;
};

export const observeShape = {
  pid: field(processId).optional(),
  prometheus: mapping({
    url: field(metricsUrl),
    preset: field(metricsPreset).optional(),
    metrics: list(field(customMetric)).optional(),
  }).optional(),
  sys: field(bool).optional(),
};
