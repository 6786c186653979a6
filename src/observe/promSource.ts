/**
 * A Prometheus endpoint, scraped with Node's built-in fetch about once a second: a preset's metric names
 * (emqx, rabbitmq, node_exporter, process) and/or custom metrics. Credentials in the URL are sent as
 * HTTP Basic auth and never shown (the target is printed without them).
 */
import type { Clock } from '../shared/clock.js';
import { redactUrl } from '../scenario/redact.js';
import { indexExposition } from './promParse.js';
import { applyCustom, parseCustomMetric, PRESET_NAMES, PRESETS, type CustomMetric, type Extracted } from './promPresets.js';
import type { Source } from './types.js';

export interface PromSourceOptions {
  url: string;
  /** One of PRESET_NAMES; without it only `custom` metrics are read. */
  preset?: string;
  /** `field=metric{labels}` specs (see parseCustomMetric). */
  custom?: string[];
  clock: Clock;
  /** Per scrape; default 2,000 ms. */
  timeoutMs?: number;
}

/** Throws on a bad URL, unknown preset or unreadable custom metric, with what to write instead. */
export function promSource(opts: PromSourceOptions): Source {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new Error(`"${redactUrl(opts.url)}" is not a URL (write e.g. http://127.0.0.1:9100/metrics)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`metrics URL must be http:// or https://, not ${url.protocol}`);
  const preset = opts.preset === undefined ? undefined : PRESETS[opts.preset];
  if (opts.preset !== undefined && !preset) throw new Error(`unknown metrics preset "${opts.preset}"; available: ${PRESET_NAMES.join(', ')}`);
  const custom: CustomMetric[] = (opts.custom ?? []).map(parseCustomMetric);
  if (!preset && custom.length === 0) throw new Error(`a metrics URL needs a preset (${PRESET_NAMES.join(', ')}) or custom metrics`);

  const headers: Record<string, string> = { accept: 'text/plain;version=0.0.4;q=1, */*;q=0.1' };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  const target = `${url.toString()}${preset ? ` (${preset.name})` : ''}`;
  const timeoutMs = opts.timeoutMs ?? 2000;

  return {
    kind: 'prometheus',
    target,
    notes: preset ? [...preset.notes] : [],
    async read() {
      let atMs: number;
      let text: string;
      try {
        const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
        atMs = opts.clock.now(); // the exporter reads its values while it answers: stamp with the answer
        text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
        // Node's fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND …) is in its cause.
        const why =
          e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message);
        throw new Error(`cannot scrape ${url.toString()}: ${why}`, { cause: err });
      }
      let index;
      try {
        index = indexExposition(text);
      } catch (err) {
        throw new Error(`${url.toString()} did not answer in the Prometheus text format: ${(err as Error).message.slice(0, 200)}`, { cause: err });
      }
      const got: Extracted = preset ? preset.extract(index) : { gauges: {}, counters: {} };
      applyCustom(index, custom, got);
      const empty =
        Object.keys(got.gauges).length +
          Object.keys(got.counters).length +
          Object.keys(got.extra ?? {}).length +
          Object.keys(got.extraCounters ?? {}).length ===
        0;
      if (empty)
        throw new Error(`${url.toString()} has none of the metrics ${preset ? `the ${preset.name} preset reads` : 'named'}: is it the right endpoint?`);
      return { atMs, ...got };
    },
    close: async () => {},
  };
}
