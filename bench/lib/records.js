// The record of figures (a)-(d) keeps its history per figure: bench/results/latest.json holds one record per
// figure id, each with its own date, command, machine load and build. A bench run replaces the records of the
// figures it ran and leaves every other one as it was, so `--only qos1` never strips (a), (c) or (d).
//
//   { "format": 2, "figures": { "<id>": <report of that figure alone>, … } }
//
// A report of one figure has the shape a whole run had before (generatedAt, command, machine, build, drivers,
// figures: [that figure], runs: { <id>: … }, profiles of that figure), so files written by older versions
// (one report for all the figures a run measured) read as one record per figure they hold.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const RECORDS_FORMAT = 2;

/** One report (any number of figures) → one record per figure. */
export function splitReport(report) {
  const out = {};
  for (const f of report.figures ?? []) {
    out[f.id] = {
      ...report,
      figures: [f],
      runs: { [f.id]: report.runs?.[f.id] ?? {} },
      profiles: (report.profiles ?? []).filter((p) => p.figure === f.id),
    };
  }
  return out;
}

/** Parsed JSON of either format → { id: record }. */
export function recordsOf(json) {
  if (!json || typeof json !== 'object') return {};
  if (json.format === RECORDS_FORMAT && json.figures && !Array.isArray(json.figures)) return { ...json.figures };
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

export function writeRecords(path, records) {
  writeFileSync(path, `${JSON.stringify({ format: RECORDS_FORMAT, figures: records }, null, 2)}\n`);
}
