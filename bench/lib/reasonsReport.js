// The missed targets in BENCHMARKS.md: the summary under the figures table and each figure's "Why missed"
// block. Formats the reasons bench/lib/reasons.js derived; computes nothing.
import { DEFAULT_DRIVER } from './reasons.js';

/**
 * The missed targets: the default driver's one per line with its reason in short (the full one is under its
 * figure), then the other drivers' as a list.
 */
export function missedSummary(recs, why) {
  const lines = recs.flatMap((rep) => why.get(rep).map((w) => `- ${w.figure} ${w.label}: ${w.short}.`));
  const others = recs.flatMap((rep) =>
    rep.figures.flatMap((f) =>
      f.rows.flatMap((r) => r.checks.filter((c) => c.met === false && c.driver !== DEFAULT_DRIVER).map((c) => `${f.id} ${r.label} (${c.driver})`)),
    ),
  );
  if (lines.length === 0 && others.length === 0) return 'Targets missed: none.';
  const ran = recs.some((rep) => rep.drivers.includes(DEFAULT_DRIVER));
  const mine = lines.length
    ? `Targets missed by the default driver (${DEFAULT_DRIVER}), and why (in full under each figure, "Why missed"):\n\n${lines.join('\n')}`
    : ran
      ? `Targets missed by the default driver (${DEFAULT_DRIVER}): none.`
      : `The default driver (${DEFAULT_DRIVER}) is in no record.`;
  return `${mine}${others.length ? `\n\nTargets missed by the other drivers: ${others.join('; ')}.` : ''}`;
}

/** The figure's "Why missed" block: each target the default driver missed, and why. */
export function whySection(list) {
  if (list.length === 0) return [];
  return [`**Why missed (${DEFAULT_DRIVER}, the default driver)**`, '', ...list.map((w) => `- **${w.label}**, target ${w.target}: ${w.text}`), ''];
}
