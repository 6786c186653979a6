/**
 * Times that fall outside the run: a subscription that would start (or end) or an event that would happen
 * after publishing has stopped. Not errors — the run is still valid — but the user meant something that will
 * not happen, so `validate` and `run` warn. Judged on the resolved scenario, after --duration and the like.
 */
import type { PathProblem } from './problems.js';
import type { Scenario } from './model.js';
import { formatDuration } from './units.js';

/** When publishing stops, in ms from its start (times in a scenario count from the start of publishing). */
export function publishingEndMs(s: Scenario): number {
  return s.warmupMs + s.durationMs;
}

export function timelineWarnings(s: Scenario): PathProblem[] {
  const end = publishingEndMs(s);
  const run = `the run ends at ${formatDuration(end)}${s.warmupMs > 0 ? ` (warm-up ${formatDuration(s.warmupMs)} + duration ${formatDuration(s.durationMs)})` : ''}`;
  const longer = 'make at earlier, or the run longer with duration or --duration';
  const out: PathProblem[] = [];
  s.groups.forEach((g, i) =>
    g.subscribe.forEach((sub, j) => {
      const at = ['groups', i, 'subscribe', j];
      if (sub.atMs !== undefined && sub.atMs >= end) {
        out.push({ path: [...at, 'at'], message: `at ${formatDuration(sub.atMs)} is not before ${run}: this subscription never starts`, hint: longer });
      } else if (sub.untilMs !== undefined && sub.untilMs > end) {
        out.push({
          path: [...at, 'until'],
          message: `until ${formatDuration(sub.untilMs)} is after ${run}: the subscription simply lasts to the end`,
          hint: 'leave until out to subscribe to the end, or make the run longer',
        });
      }
    }),
  );
  s.events.forEach((e, k) => {
    if (e.atMs >= end)
      out.push({ path: ['events', k, 'at'], message: `this event at ${formatDuration(e.atMs)} is not before ${run}: it never happens`, hint: longer });
  });
  return out;
}
