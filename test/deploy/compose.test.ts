/**
 * Offline checks of docker-compose.yml (no Docker on the machine this was written on: nothing is
 * started) and of docs/grafana-dashboard.json against the metrics `--prometheus` really exposes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/metrics/aggregate.js';
import { PrometheusExporter } from '../../src/report/prometheus.js';
import { ROOT } from '../helpers/cli.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML (docker-compose.yml): an untyped document walked by the assertions
type Obj = Record<string, any>;

function loadCompose(): Obj {
  const doc = parseDocument(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));
  expect(doc.errors).toEqual([]);
  return doc.toJS() as Obj;
}

/** "127.0.0.1:1884:1883" or "1884:1883" → { host: 1884, container: 1883 }. */
function ports(service: Obj): { host: number; container: number }[] {
  return (service.ports as string[]).map((p) => {
    const parts = String(p).split(':');
    return { host: Number(parts[parts.length - 2]), container: Number(parts[parts.length - 1]) };
  });
}

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const { mosquitto, emqx } = compose.services as Obj;

  it('has a mosquitto 2 service on 1883 with the config file from deploy/compose', () => {
    expect(mosquitto.image).toMatch(/^eclipse-mosquitto:2/);
    expect(ports(mosquitto)).toContainEqual({ host: 1883, container: 1883 });
    const mount = (mosquitto.volumes as string[]).find((v) => v.includes('mosquitto.conf'))!;
    const [src, dest] = mount.split(':');
    expect(dest).toBe('/mosquitto/config/mosquitto.conf');
    const conf = readFileSync(join(ROOT, src), 'utf8').split('\n').map((l) => l.trim());
    for (const line of ['listener 1883', 'allow_anonymous true', 'set_tcp_nodelay true', 'max_queued_messages 100000']) expect(conf).toContain(line);
  });

  it('has an EMQX 5 service with MQTT on 1884 and the dashboard on 18083', () => {
    expect(emqx.image).toMatch(/^emqx\/emqx:5/);
    expect(ports(emqx)).toContainEqual({ host: 1884, container: 1883 });
    expect(ports(emqx)).toContainEqual({ host: 18083, container: 18083 });
    expect(String(emqx.environment.EMQX_MQTT__MAX_MQUEUE_LEN)).toBe('100000');
  });

  it('raises the open-files limit of both brokers', () => {
    for (const s of [mosquitto, emqx]) {
      expect(s.ulimits.nofile.soft).toBeGreaterThanOrEqual(100_000);
      expect(s.ulimits.nofile.hard).toBeGreaterThanOrEqual(s.ulimits.nofile.soft);
    }
  });
});

describe('docs/grafana-dashboard.json', () => {
  const dash = JSON.parse(readFileSync(join(ROOT, 'docs/grafana-dashboard.json'), 'utf8')) as Obj;

  it('uses a Prometheus datasource variable in every panel', () => {
    const ds = (dash.templating.list as Obj[]).find((v) => v.type === 'datasource');
    expect(ds).toMatchObject({ name: 'datasource', query: 'prometheus' });
    for (const p of dash.panels as Obj[]) {
      expect(p.datasource.uid, p.title).toBe('${datasource}');
      for (const t of p.targets as Obj[]) expect(t.datasource.uid, p.title).toBe('${datasource}');
    }
  });

  it('only queries metrics the exporter exposes', async () => {
    const exposed = new Set<string>();
    const ex = new PrometheusExporter({ scenario: 's', target: 't', version: 'v' });
    ex.update(new Aggregator(0));
    for (const line of (await ex.metrics()).split('\n')) {
      const m = /^# TYPE (mqbench_[a-z_]+) (\w+)/.exec(line); // families, with or without samples yet
      if (!m) continue;
      exposed.add(m[1]);
      if (m[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exposed.add(m[1] + suffix);
    }
    const exprs = (dash.panels as Obj[]).flatMap((p) => (p.targets as Obj[]).map((t) => t.expr as string));
    const used = new Set(exprs.flatMap((e) => e.match(/mqbench_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(exposed, name).toContain(name);
    expect(exprs.some((e) => /histogram_quantile\(0\.99, sum by \(le\) \(rate\(mqbench_latency_histogram_seconds_bucket\{kind="end_to_end"/.test(e))).toBe(true);
  });
});
