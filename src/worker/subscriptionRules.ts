/**
 * The plan's subscriptions as RULES, one per (group, subscribe filter), derived from the scenario without
 * enumerating clients: a segment or worker builds what it needs in time and memory independent of the
 * run's total client count. A rule's filter is either the same for every client of its group (a constant,
 * e.g. "$share/ingest/telemetry/{run}/#") or a function of the client index i (e.g. "cmd/{run}/{i}"),
 * which a topic is inverted against (a pattern capturing i, then checked by rendering). A filter whose
 * shape cannot be inverted (a `$share` name that depends on i, an id with wildcard characters in it) is
 * enumerated client by client, as before: correct for every scenario, fast for the usual shapes.
 */
import { parseShared } from '../mqtt/topic.js';
import type { QoS } from '../mqtt/protocol.js';
import type { ParsedTemplate, TemplateVarPart } from '../mqtt/template.js';
import type { Scenario } from '../scenario/model.js';
import { compileGroupNames, filtersOf } from './naming.js';

interface RuleBase {
  group: number;
  /** Index of the filter in the group's subscribe list. */
  k: number;
  /** Slot of client i: slotBase + i × filters + k. */
  slotBase: number;
  filters: number;
  /** Clients of the group: 0 … count − 1. */
  count: number;
  qos: QoS;
  /** The `$share` name, when the filter is a shared subscription (filters below are then the inner one). */
  share?: string;
}

/** Every client of the group holds the same filter. */
export interface ConstantRule extends RuleBase {
  kind: 'constant';
  filter: string;
}

/** Client i holds render(i); `pattern` matches every topic some render(i) could match, capturing i. */
export interface IndexedRule extends RuleBase {
  kind: 'indexed';
  render: (i: number) => string;
  pattern: RegExp;
}

/** Enumerated client by client (a shape that cannot be inverted): filter per client (null: not in this rule's share). */
export interface ListedRule extends RuleBase {
  kind: 'listed';
  filterOf: Array<string | null>;
}

export type SubscriptionRule = ConstantRule | IndexedRule | ListedRule;

const I = Symbol('i');
type Flat = Array<string | typeof I>;

/** A template's parts with {run}, {group} and {clientId} resolved; {i} left as I. Null: another variable. */
function flatten(parts: ReadonlyArray<string | TemplateVarPart>, clientId: ParsedTemplate | null, group: string, run: string): Flat | null {
  const out: Flat = [];
  for (const p of parts) {
    if (typeof p === 'string') out.push(p);
    else if (p.var === 'i') out.push(I);
    else if (p.var === 'run') out.push(run);
    else if (p.var === 'group') out.push(group);
    else if (p.var === 'clientId' && clientId) {
      const inner = flatten(clientId.parts, null, group, run);
      if (!inner) return null;
      out.push(...inner);
    } else return null;
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern matching every topic the filter could match for some i (a superset: callers check exactly). */
function patternOf(flat: Flat): RegExp {
  let src = '';
  let seenI = false;
  const text = flat.map((p) => (p === I ? '\u0000' : p)).join('');
  for (let c = 0; c < text.length; c++) {
    const ch = text[c];
    if (ch === '\u0000') {
      src += seenI ? '\\1' : '(0|[1-9][0-9]*)';
      seenI = true;
    } else if (ch === '+') src += '[^/]*';
    else if (ch === '#') src = src.endsWith('/') ? `${src.slice(0, -1)}(?:/.*)?` : `${src}.*`;
    else src += escape(ch);
  }
  return new RegExp(`^${src}$`, 's');
}

/** The rules of every subscription of the scenario (every group, every filter). */
export function subscriptionRules(scenario: Scenario, slotBase: number[], run: string): SubscriptionRule[] {
  const rules: SubscriptionRule[] = [];
  scenario.groups.forEach((g, gi) => {
    if (g.subscribe.length === 0 || g.count === 0) return;
    const names = compileGroupNames(scenario, g);
    g.subscribe.forEach((s, k) => {
      const base = { group: gi, k, slotBase: slotBase[gi], filters: g.subscribe.length, count: g.count, qos: s.qos };
      // One rule per `$share` name the clients' filters use ('' for none): each client in exactly one.
      const listed = (): void => {
        const all = Array.from({ length: g.count }, (_, i) => filtersOf(names, g, i, run)[k]);
        const byShare = new Map<string, Array<string | null>>();
        all.forEach((f, i) => {
          const key = parseShared(f)?.group ?? '';
          let list = byShare.get(key);
          if (!list) byShare.set(key, (list = new Array<string | null>(g.count).fill(null)));
          list[i] = f;
        });
        for (const [share, filterOf] of byShare) rules.push({ ...base, kind: 'listed', filterOf, ...(share ? { share } : {}) });
      };
      const flat = flatten(names.subscribe[k].parts, names.clientId, g.name, run);
      // A run id or group name with wildcard characters (or the marker) in it: enumerate, to be safe.
      if (!flat || [run, g.name].some((v) => /[+#\u0000]/.test(v)) || flat.some((p) => p !== I && p.includes('\u0000'))) return listed();
      if (!flat.includes(I)) {
        const filter = flat.join('');
        const share = parseShared(filter);
        return void rules.push(share ? { ...base, kind: 'constant', filter: share.filter, share: share.group } : { ...base, kind: 'constant', filter });
      }
      const sample = (i: number) => flat.map((p) => (p === I ? String(i) : p)).join('');
      const share = parseShared(sample(0));
      let inner = flat;
      if (share) {
        // The `$share/<name>/` prefix must be a literal (the same for every client) at the start.
        const prefix = `$share/${share.group}/`;
        const first = flat[0];
        if (typeof first !== 'string' || !first.startsWith(prefix) || parseShared(sample(1))?.group !== share.group) return listed();
        inner = [first.slice(prefix.length), ...flat.slice(1)];
      }
      const render = (i: number) => inner.map((p) => (p === I ? String(i) : p)).join('');
      rules.push({ ...base, kind: 'indexed', render, pattern: patternOf(inner), ...(share ? { share: share.group } : {}) });
    });
  });
  return rules;
}

/**
 * `$share` filters (as written, "$share/<name>/<filter>") held by several clients, with their member count
 * (distinct clients): the shared receive ledger keeps a record for each (metrics/shareLedger.ts). Filters of
 * one client (the per-client filters of an indexed rule) are left out: they need no shared record.
 */
export function shareGroupsOf(rules: SubscriptionRule[]): Map<string, number> {
  const groups = new Map<string, Set<string>>(); // filter → members, as "group:i" or "group:*"
  const add = (key: string, member: string) => {
    let m = groups.get(key);
    if (!m) groups.set(key, (m = new Set()));
    m.add(member);
  };
  for (const r of rules) {
    if (r.share === undefined) continue;
    if (r.kind === 'constant') add(`$share/${r.share}/${r.filter}`, `${r.group}:*`);
    else if (r.kind === 'listed') r.filterOf.forEach((f, i) => f !== null && add(f, `${r.group}:${i}`));
  }
  // A client of an indexed rule whose filter equals a constant (or listed) one of the same share.
  for (const r of rules) {
    if (r.kind !== 'indexed') continue;
    const prefix = `$share/${r.share}/`;
    for (const key of groups.keys()) {
      if (!key.startsWith(prefix)) continue;
      const i = candidateOf(r, key.slice(prefix.length));
      if (i >= 0 && r.render(i) === key.slice(prefix.length)) add(key, `${r.group}:${i}`);
    }
  }
  const counts = new Map(rules.map((r) => [r.group, r.count]));
  const size = (m: Set<string>) => {
    const whole = new Set([...m].filter((x) => x.endsWith(':*')).map((x) => Number(x.slice(0, -2))));
    let n = 0;
    for (const g of whole) n += counts.get(g)!;
    for (const x of m) if (!x.endsWith(':*') && !whole.has(Number(x.slice(0, x.indexOf(':'))))) n++;
    return n;
  };
  return new Map([...groups].map(([k, m]) => [k, size(m)]));
}

/** Client i of an indexed rule whose filter could match `topic`, or -1 (callers confirm with topicMatches). */
export function candidateOf(rule: IndexedRule, topic: string): number {
  const m = rule.pattern.exec(topic);
  if (!m) return -1;
  const i = Number(m[1]);
  return i < rule.count ? i : -1;
}
