// The record of figures (a)-(d) keeps its history per figure AND per contender: bench/results/latest.json
// holds one record per figure id, and inside it each contender (the raw floor, each mqbench driver) keeps
// the date, command, machine load and build of the run that measured it. A bench run replaces, in the
// figures it ran, only the contenders it ran (`--drivers lean` refreshes the floor and lean, and keeps
// mqttjs's values from before with their own date), and leaves every other figure as it was.
//
//   { "format": 3, "figures": { "<id>": <record>, … } }
//   <record> = a report of that figure alone (generatedAt, command, machine, build, drivers, figures: [that
//              figure], runs: { <id>: { <contender>: [...] } }, profiles of that figure), the top-level
//              dates those of its newest run, plus contenders: { <contender>: <run meta> }.
//
// Files written by older versions read as records whose contenders all share the record's meta: format 2
// (one record per figure) and format 1 (one report for all the figures a run measured).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const RECORDS_FORMAT = 3;

/** What says where a contender's values come from: one bench run. */
const META_KEYS = ['generatedAt', 'finishedAt', 'command', 'quick', 'runsPerFigure', 'machine', 'build', 'driversSkipped'];
const metaOf = (report) => Object.fromEntries(META_KEYS.map((k) => [k, report[k]]));

/** The contenders a record holds values of (its runs), raw floor first. */
export function contendersIn(rec) {
  const id = rec.figures[0].id;
  return Object.keys(rec.runs?.[id] ?? {});
}

/** Each contender's run meta; records of format ≤ 2 give every contender the record's own. */
export function contenderMeta(rec) {
  const out = {};
  for (const c of contendersIn(rec)) out[c] = rec.contenders?.[c] ?? metaOf(rec);
  return out;
}

/**
 * The contenders grouped by the run that measured them (same generatedAt), newest run first:
 * [{ contenders: ['raw', 'lean'], meta }, { contenders: ['mqttjs'], meta }].
 */
export function measuredGroups(rec) {
  const groups = new Map();
  for (const [c, meta] of Object.entries(contenderMeta(rec))) {
    const g = groups.get(meta.generatedAt) ?? { contenders: [], meta };
    g.contenders.push(c);
    groups.set(meta.generatedAt, g);
  }
  return [...groups.values()].sort((a, b) => b.meta.generatedAt.localeCompare(a.meta.generatedAt));
}

/** One report (any number of figures) → one record per figure, every contender with the report's meta. */
export function splitReport(report) {
  const out = {};
  for (const f of report.figures ?? []) {
    const runs = report.runs?.[f.id] ?? {};
    out[f.id] = {
      ...report,
      figures: [f],
      runs: { [f.id]: runs },
      profiles: (report.profiles ?? []).filter((p) => p.figure === f.id),
      contenders: Object.fromEntries(Object.keys(runs).map((c) => [c, metaOf(report)])),
    };
  }
  return out;
}

/**
 * The record of one figure after a new run: the contenders the new run measured take the new values; every
 * other contender of the old record (a driver not run this time) keeps its values, checks, ratio (against
 * the floor of ITS run, kept in `row.floorOfRun`), runs, failures, profiles and meta. Metrics the new code
 * no longer has are dropped; a metric new to the code has no value for the kept contenders.
 */
export function mergeRecord(old, next) {
  if (!old) return next;
  const id = next.figures[0].id;
  const ran = contendersIn(next);
  const oldMeta = contenderMeta(old);
  const kept = contendersIn(old).filter((c) => !ran.includes(c));
  if (kept.length === 0) return next;
  const oldFig = old.figures[0];
  const fig = next.figures[0];
  const rows = fig.rows.map((row) =>
    withKept(
      row,
      oldFig.rows.find((r) => r.key === row.key),
      kept,
    ),
  );
  const keep = (obj) => Object.fromEntries(kept.filter((d) => obj?.[d] !== undefined).map((d) => [d, obj[d]]));
  const drivers = [...old.drivers.filter((d) => kept.includes(d) || next.drivers.includes(d)), ...next.drivers.filter((d) => !old.drivers.includes(d))];
  return {
    ...next,
    drivers,
    figures: [{ ...fig, rows, failures: { ...fig.failures, ...keep(oldFig.failures) } }],
    runs: { [id]: { ...next.runs[id], ...keep(old.runs[id]) } },
    profiles: [...next.profiles, ...old.profiles.filter((p) => kept.includes(p.driver))],
    contenders: { ...contenderMeta(next), ...keep(oldMeta) },
  };
}

/** An old row's parts, empty when the metric is new (the kept contenders have no value for it). */
const NO_ROW = { raw: null, rawText: 'not run', values: {}, valueText: {}, ratios: {}, perRun: {}, checks: [], floorOfRun: {} };

/** A row of the new run with the values of the contenders it did not run (`kept`) taken from the old row `was`. */
function withKept(row, was, kept) {
  const w = { ...NO_ROW, ...was };
  const r = { ...row, values: { ...row.values }, valueText: { ...row.valueText }, ratios: { ...row.ratios }, perRun: { ...row.perRun } };
  r.checks = [...row.checks];
  r.floorOfRun = { ...row.floorOfRun };
  for (const d of kept) {
    if (w.perRun[d]) r.perRun[d] = w.perRun[d];
    if (d === 'raw') {
      r.raw = w.raw;
      r.rawText = w.rawText;
      continue;
    }
    r.values[d] = w.values[d] ?? null;
    r.valueText[d] = w.valueText[d] ?? 'not run';
    r.ratios[d] = w.ratios[d] ?? null;
    const check = (w.checks ?? []).find((c) => c.driver === d);
    if (row.target && check) r.checks.push(check);
    // The ratio and a floor-relative check of a kept driver were computed against the floor of its own run.
    r.floorOfRun[d] = was ? (w.floorOfRun?.[d] ?? w.raw) : null;
  }
  return r;
}

/** Old records + the records of a new run → the merged records (the old object is not changed). */
export function mergeRecords(records, fresh) {
  const out = { ...records };
  for (const [id, rec] of Object.entries(fresh)) out[id] = mergeRecord(records[id], rec);
  return out;
}

/** Parsed JSON of any format → { id: record }. */
export function recordsOf(json) {
  if (!json || typeof json !== 'object') return {};
  if (json.format >= 2 && json.figures && !Array.isArray(json.figures)) return { ...json.figures };
  if (Array.isArray(json.figures)) return splitReport(json);
  return {};
}

export function readRecords(path) {
  if (!existsSync(path)) return {};
  return recordsOf(JSON.parse(readFileSync(path, 'utf8')));
}

/** The records in `order` (figure ids) first, then any other ids the file holds. */
export function orderedRecords(records, order) {
  const ids = [...order.filter((id) => records[id]), ...Object.keys(records).filter((id) => !order.includes(id))];
  return ids.map((id) => records[id]);
}

/** Records with the titles the code gives their figures today (labels change; the measurements do not). */
export function withTitles(records, figures) {
  const out = {};
  for (const [id, rec] of Object.entries(records)) {
    const title = figures.find((f) => f.id === id)?.title;
    out[id] = title && title !== rec.figures[0].title ? { ...rec, figures: [{ ...rec.figures[0], title }, ...rec.figures.slice(1)] } : rec;
  }
  return out;
}

export function writeRecords(path, records) {
  writeFileSync(path, `${JSON.stringify({ format: RECORDS_FORMAT, figures: records }, null, 2)}\n`);
}
