// `npm run bench:compare -- <old.json> <new.json>`: what changed between two bench records (figures (a)-(d)
// and any other figure with a raw floor), as a Markdown table for a pull request: per figure, metric and
// contender, the old and new medians, the change (absolute and relative) and whether the target verdict
// moved. Reads every record format (bench/lib/records.js: one record per figure with a date per contender,
// one record per figure, or an older single report). A contender whose values come from the same run in
// both files is left out (its values did not change); a figure where that holds for every contender says so.
// Exit codes: 0 compared · 2 bad usage or unreadable file.
import { readFileSync } from 'node:fs';
import { FIGURES } from './lib/figures.js';
import { contenderMeta, recordsOf, withTitles } from './lib/records.js';

export function compareRecords(oldRecs, newRecs) {
  const ids = [...new Set([...Object.keys(oldRecs), ...Object.keys(newRecs)])];
  const rows = [];
  for (const id of ids) {
    const a = oldRecs[id]?.figures[0];
    const b = newRecs[id]?.figures[0];
    if (!a || !b) {
      rows.push({ id, title: (a ?? b).title, only: a ? 'only in the old file' : 'only in the new file' });
      continue;
    }
    const metaA = contenderMeta(oldRecs[id]);
    const metaB = contenderMeta(newRecs[id]);
    const same = (c) => metaA[c] && metaB[c] && metaA[c].generatedAt === metaB[c].generatedAt;
    const contenders = ['raw', ...newRecs[id].drivers].filter((c) => metaB[c] && !same(c));
    if (contenders.length === 0) {
      rows.push({ id, title: b.title, only: `the same record in both (${b.id}, measured ${newRecs[id].generatedAt})` });
      continue;
    }
    for (const rb of b.rows) {
      const ra = a.rows.find((r) => r.key === rb.key);
      for (const c of contenders) {
        const nv = c === 'raw' ? rb.raw : rb.values[c];
        const ov = ra ? (c === 'raw' ? ra.raw : ra.values?.[c]) : undefined;
        const metOld = ra?.checks?.find((x) => x.driver === c)?.met;
        const metNew = rb.checks?.find((x) => x.driver === c)?.met;
        rows.push({
          id,
          title: b.title,
          metric: `${rb.label}${rb.unit ? ` (${rb.unit})` : ''}`,
          contender: c,
          old: ov ?? null,
          new: nv ?? null,
          target: rb.target,
          metOld,
          metNew,
        });
      }
    }
  }
  return rows;
}

const num = (n) => {
  if (n === null || n === undefined) return '—';
  const a = Math.abs(n);
  if (a >= 100) return Math.round(n).toLocaleString('en-US');
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
};
const verdict = (m) => (m === true ? 'met' : m === false ? 'missed' : '—');

export function renderComparison(rows, oldName, newName, oldRecs, newRecs) {
  const when = (recs) => [...new Set(Object.values(recs).map((r) => r.generatedAt?.slice(0, 16).replace('T', ' ')))].join(', ');
  const out = [
    `Comparing \`${oldName}\` (${when(oldRecs) || '—'}) → \`${newName}\` (${when(newRecs) || '—'})`,
    '',
    '| Figure | Metric | Contender | old | new | change | target | verdict |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | --- |',
  ];
  let last = null;
  for (const r of rows) {
    if (r.only) {
      out.push(`| ${r.title} | ${r.only} | | | | | | |`);
      continue;
    }
    const delta = r.old !== null && r.new !== null ? r.new - r.old : null;
    const rel = delta !== null && r.old ? (delta / Math.abs(r.old)) * 100 : null;
    const change = delta === null ? '—' : `${delta >= 0 ? '+' : ''}${num(delta)}${rel === null ? '' : ` (${rel >= 0 ? '+' : ''}${rel.toFixed(1)}%)`}`;
    const v =
      r.metOld === undefined && r.metNew === undefined ? '—' : r.metOld === r.metNew ? verdict(r.metNew) : `${verdict(r.metOld)} → **${verdict(r.metNew)}**`;
    out.push(
      `| ${r.id === last ? '' : r.title} | ${r.metric} | ${r.contender === 'raw' ? 'raw floor' : `mqbench ${r.contender}`} | ${num(r.old)} | ${num(r.new)} | ${change} | ${r.contender === 'raw' ? '' : (r.target ?? '—')} | ${r.contender === 'raw' ? '' : v} |`,
    );
    last = r.id;
  }
  return out.join('\n');
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write(
      'usage: npm run bench:compare -- <old.json> <new.json>\n  e.g. git show main:bench/results/latest.json > /tmp/old.json; npm run bench:compare -- /tmp/old.json bench/results/latest.json\n',
    );
    return 2;
  }
  const recs = [];
  for (const f of argv) {
    try {
      recs.push(withTitles(recordsOf(JSON.parse(readFileSync(f, 'utf8'))), FIGURES));
    } catch (err) {
      process.stderr.write(`bench:compare: cannot read ${f}: ${err.message}\n`);
      return 2;
    }
    if (Object.keys(recs.at(-1)).length === 0) {
      process.stderr.write(`bench:compare: ${f} holds no bench figures (expected bench/results/latest.json or quick.json)\n`);
      return 2;
    }
  }
  process.stdout.write(`${renderComparison(compareRecords(recs[0], recs[1]), argv[0], argv[1], recs[0], recs[1])}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
