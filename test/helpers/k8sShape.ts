/**
 * A small, hand-written structural check of the Kubernetes manifests mqbench ships (ConfigMap,
 * PersistentVolumeClaim, Job): required fields, their types, known keys (so a typo such as
 * `paralellism` is caught), and references between objects. Offline: no cluster, no schema download.
 * It is not the full OpenAPI schema; it checks what these manifests use.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
  str(o: Obj, key: string, where: string): string | undefined {
    const v = o[key];
    if (typeof v !== 'string' || v === '') this.add(`${where}.${key}`, 'required string');
    return typeof v === 'string' ? v : undefined;
  }
  obj(o: Obj, key: string, where: string): Obj {
    const v = o[key];
    if (!isObj(v)) this.add(`${where}.${key}`, 'required object');
    return isObj(v) ? v : {};
  }
  arr(o: Obj, key: string, where: string, optional = false): unknown[] {
    const v = o[key];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v) || (!optional && v.length === 0)) this.add(`${where}.${key}`, 'required non-empty list');
    return Array.isArray(v) ? v : [];
  }
  known(o: Obj, keys: string[], where: string): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.add(`${where}.${k}`, 'unknown key');
  }
  int(o: Obj, key: string, where: string, min: number): number | undefined {
    const v = o[key];
    if (!Number.isInteger(v) || (v as number) < min) this.add(`${where}.${key}`, `required integer ≥ ${min}`);
    return Number.isInteger(v) ? (v as number) : undefined;
  }
}

const API: Record<string, string> = { ConfigMap: 'v1', PersistentVolumeClaim: 'v1', Job: 'batch/v1' };

/** apiVersion, kind, metadata.name (DNS label), per-kind spec. Returns the kind and name. */
export function checkObject(doc: unknown, where: string, p: Problems): { kind: string; name: string; doc: Obj } | null {
  if (!isObj(doc)) return (p.add(where, 'not a mapping'), null);
  const kind = p.str(doc, 'kind', where) ?? '';
  const api = p.str(doc, 'apiVersion', where);
  if (!(kind in API)) return (p.add(`${where}.kind`, `unexpected kind "${kind}"`), null);
  if (api !== API[kind]) p.add(`${where}.apiVersion`, `${kind} is ${API[kind]}, got "${api}"`);
  const meta = p.obj(doc, 'metadata', where);
  p.known(meta, ['name', 'labels', 'annotations', 'namespace'], `${where}.metadata`);
  const name = p.str(meta, 'name', `${where}.metadata`) ?? '';
  if (name && (!DNS_LABEL.test(name) || name.length > 63)) p.add(`${where}.metadata.name`, `"${name}" is not a DNS-1123 label`);
  if (kind === 'ConfigMap') {
    p.known(doc, ['apiVersion', 'kind', 'metadata', 'data'], where);
    const data = p.obj(doc, 'data', where);
    for (const [k, v] of Object.entries(data)) if (typeof v !== 'string') p.add(`${where}.data.${k}`, 'values must be strings');
  } else if (kind === 'PersistentVolumeClaim') {
    p.known(doc, ['apiVersion', 'kind', 'metadata', 'spec'], where);
    const spec = p.obj(doc, 'spec', where);
    for (const m of p.arr(spec, 'accessModes', `${where}.spec`)) {
      if (!['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'].includes(m as string))
        p.add(`${where}.spec.accessModes`, `unknown mode ${String(m)}`);
    }
    const storage = p.obj(p.obj(spec, 'resources', `${where}.spec`), 'requests', `${where}.spec.resources`).storage;
    if (typeof storage !== 'string' || !/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/.test(storage))
      p.add(`${where}.spec.resources.requests.storage`, 'required quantity, e.g. 1Gi');
  } else {
    p.known(doc, ['apiVersion', 'kind', 'metadata', 'spec'], where);
    checkJobSpec(p.obj(doc, 'spec', where), `${where}.spec`, p);
  }
  return { kind, name, doc };
}

function checkJobSpec(spec: Obj, where: string, p: Problems): void {
  p.known(
    spec,
    ['completionMode', 'completions', 'parallelism', 'backoffLimit', 'backoffLimitPerIndex', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'template'],
    where,
  );
  if (spec.completionMode !== undefined && !['Indexed', 'NonIndexed'].includes(spec.completionMode as string))
    p.add(`${where}.completionMode`, 'Indexed or NonIndexed');
  p.int(spec, 'completions', where, 1);
  p.int(spec, 'parallelism', where, 1);
  if (spec.backoffLimit !== undefined) p.int(spec, 'backoffLimit', where, 0);
  const template = p.obj(spec, 'template', where);
  p.known(template, ['metadata', 'spec'], `${where}.template`);
  const pod = p.obj(template, 'spec', `${where}.template`);
  const pw = `${where}.template.spec`;
  p.known(pod, ['restartPolicy', 'securityContext', 'affinity', 'containers', 'volumes', 'nodeSelector', 'tolerations', 'serviceAccountName'], pw);
  if (!['Never', 'OnFailure'].includes(pod.restartPolicy as string)) p.add(`${pw}.restartPolicy`, 'a Job needs Never or OnFailure');
  const volumes = new Set<string>();
  for (const [i, v] of p.arr(pod, 'volumes', pw, true).entries()) {
    const vw = `${pw}.volumes[${i}]`;
    if (!isObj(v)) continue;
    const name = p.str(v, 'name', vw);
    if (name) volumes.add(name);
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length !== 1 || !['configMap', 'persistentVolumeClaim', 'emptyDir'].includes(sources[0]))
      p.add(vw, 'exactly one of configMap, persistentVolumeClaim, emptyDir');
  }
  for (const [i, c] of p.arr(pod, 'containers', pw).entries()) {
    const cw = `${pw}.containers[${i}]`;
    if (!isObj(c)) continue;
    p.known(c, ['name', 'image', 'command', 'args', 'env', 'resources', 'volumeMounts', 'imagePullPolicy'], cw);
    p.str(c, 'name', cw);
    p.str(c, 'image', cw);
    const command = p.arr(c, 'command', cw);
    if (command.some((x) => typeof x !== 'string')) p.add(`${cw}.command`, 'every item must be a string (quote numbers)');
    const env = new Set(['JOB_COMPLETION_INDEX']);
    for (const e of p.arr(c, 'env', cw, true)) if (isObj(e) && typeof e.name === 'string') env.add(e.name);
    for (const x of command)
      for (const m of String(x).matchAll(/\$\(([A-Z_][A-Z0-9_]*)\)/g))
        if (!env.has(m[1])) p.add(`${cw}.command`, `$(${m[1]}) is not an env var of the container`);
    for (const [k, m] of p.arr(c, 'volumeMounts', cw, true).entries()) {
      if (!isObj(m)) continue;
      const name = p.str(m, 'name', `${cw}.volumeMounts[${k}]`);
      const path = p.str(m, 'mountPath', `${cw}.volumeMounts[${k}]`);
      if (name && !volumes.has(name)) p.add(`${cw}.volumeMounts[${k}]`, `volume "${name}" is not defined in spec.template.spec.volumes`);
      if (path && !path.startsWith('/')) p.add(`${cw}.volumeMounts[${k}].mountPath`, 'must be absolute');
    }
  }
}

export const containers = (job: Obj): Obj[] => ((((job.spec as Obj).template as Obj).spec as Obj).containers as Obj[]) ?? [];
export const volumes = (job: Obj): Obj[] => ((((job.spec as Obj).template as Obj).spec as Obj).volumes as Obj[]) ?? [];
