/**
 * Offline check of deploy/kubernetes/ and the Dockerfile: the manifests parse, have the shape their
 * kinds require (a hand-written structural check, test/helpers/k8sShape.ts; no cluster, no downloaded
 * schema), reference each other correctly, and the segment Job's command is one mqbench accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseRunIdArg, parseStartAtArg } from '../../src/cli/distributed.js';
import { parseSegment, segmentClients } from '../../src/plan/segment.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { ROOT } from '../helpers/cli.js';
import { checkObject, containers, Problems, volumes } from '../helpers/k8sShape.js';
import { loaded } from '../helpers/scenario.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML manifests: untyped documents walked by the assertions
type Obj = Record<string, any>;
const DIR = join(ROOT, 'deploy/kubernetes');

function load(): { file: string; doc: Obj }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((d) => {
        expect(d.errors, file).toEqual([]);
        return { file, doc: d.toJS() as Obj };
      }),
    );
}

const docs = load();
const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc);
const argAfter = (cmd: string[], flag: string) => cmd[cmd.indexOf(flag) + 1];
const mountOf = (c: Obj, volume: string) => (c.volumeMounts as Obj[]).find((m) => m.name === volume)?.mountPath as string;

describe('deploy/kubernetes manifests', () => {
  it('every object has the structure its kind requires', () => {
    const p = new Problems();
    for (const { file, doc } of docs) checkObject(doc, `${file}`, p);
    expect(p.list).toEqual([]);
    expect(ofKind('ConfigMap')).toHaveLength(1);
    expect(ofKind('PersistentVolumeClaim')).toHaveLength(1);
    expect(ofKind('Job')).toHaveLength(2);
  });

  it('the structural check does catch mistakes', () => {
    const job = structuredClone(ofKind('Job').find((j) => j.spec.completionMode === 'Indexed')!);
    job.spec.paralellism = 3;
    job.spec.template.spec.containers[0].volumeMounts.push({ name: 'nope', mountPath: 'rel' });
    job.spec.template.spec.containers[0].command.push('$(UNSET)');
    job.apiVersion = 'v1';
    const p = new Problems();
    checkObject(job, 'job', p);
    expect(p.list.join('\n')).toMatch(/paralellism: unknown key/);
    expect(p.list.join('\n')).toMatch(/volume "nope" is not defined/);
    expect(p.list.join('\n')).toMatch(/must be absolute/);
    expect(p.list.join('\n')).toMatch(/\$\(UNSET\) is not an env var/);
    expect(p.list.join('\n')).toMatch(/Job is batch\/v1/);
  });

  it('volumes reference the ConfigMap (and its key) and the PVC that exist', () => {
    const cm = ofKind('ConfigMap')[0];
    const pvc = ofKind('PersistentVolumeClaim')[0];
    expect(pvc.spec.accessModes).toContain('ReadWriteMany');
    for (const job of ofKind('Job')) {
      for (const v of volumes(job) as Obj[]) {
        if (v.configMap) {
          expect(v.configMap.name).toBe(cm.metadata.name);
          for (const item of v.configMap.items ?? []) expect(Object.keys(cm.data)).toContain(item.key);
        }
        if (v.persistentVolumeClaim) expect(v.persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
      }
    }
  });

  it('the Indexed Job runs segment $(JOB_COMPLETION_INDEX)/N of the scenario, N == parallelism == completions', () => {
    const job = ofKind('Job').find((j) => j.spec.completionMode === 'Indexed')!;
    const n = job.spec.completions;
    expect(job.spec.parallelism).toBe(n);
    const c = containers(job)[0];
    const cmd = c.command as string[];
    expect(cmd.slice(0, 2)).toEqual(['mqbench', 'run']);
    expect(cmd).toContain('--segment');
    expect(argAfter(cmd, '--segment')).toBe(`$(JOB_COMPLETION_INDEX)/${n}`);
    for (let i = 0; i < n; i++) expect(parseSegment(argAfter(cmd, '--segment').replace('$(JOB_COMPLETION_INDEX)', String(i)))).toEqual({ index: i, count: n });
    // The placeholders, once replaced as the README says, are values mqbench accepts.
    expect(argAfter(cmd, '--run-id')).toBe('__RUN_ID__');
    expect(argAfter(cmd, '--start-at')).toBe('__START_AT__');
    expect(parseRunIdArg('run-20300102030405')).toBe('run-20300102030405');
    expect(parseStartAtArg('2030-01-02T03:04:05Z')).toBe(Date.UTC(2030, 0, 2, 3, 4, 5));
    // Reads the scenario from the ConfigMap mount, writes its shard to the shared volume.
    const scenarioPath = cmd[2];
    expect(scenarioPath.startsWith(`${mountOf(c, 'scenario')}/`)).toBe(true);
    const out = argAfter(cmd, '--out');
    expect(out).toBe(`${mountOf(c, 'results')}/shard-$(JOB_COMPLETION_INDEX).json`);
  });

  it('the shipped scenario is valid and every segment has clients', () => {
    const cm = ofKind('ConfigMap')[0];
    const job = ofKind('Job').find((j) => j.spec.completionMode === 'Indexed')!;
    const { scenario } = loaded(parseScenarioText(cm.data['scenario.yaml'], 'configmap.yaml', {}));
    for (let i = 0; i < job.spec.completions; i++) expect(segmentClients(scenario, { index: i, count: job.spec.completions })).toBeGreaterThan(0);
  });

  it('the merge Job merges the shards from the same volume', () => {
    const job = ofKind('Job').find((j) => j.spec.completionMode !== 'Indexed')!;
    const c = containers(job)[0];
    const script = (c.command as string[]).join(' ');
    const mount = mountOf(c, 'results');
    expect(script).toContain(`mqbench merge ${mount}/shard-*.json -o ${mount}/merged.json`);
  });
});

describe('Dockerfile', () => {
  it('builds mqbench on node:20-slim with npm ci and the TypeScript build', () => {
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(text).toMatch(/^FROM node:20-slim AS build$/m);
    expect(text).toMatch(/npm ci && npm run build/);
    expect(text).toMatch(/ENTRYPOINT \["mqbench"\]/);
  });
});
