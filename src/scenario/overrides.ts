/**
 * The scenario changed for one run (by the command line, or by the embedded broker's address): each function
 * returns a new scenario and leaves the loaded one as it was, so what was loaded can still be compared with
 * what ran (warnings, results).
 */
import type { Scenario } from './model.js';

/** One broker URL instead of the scenario's url and urls. */
export function withTargetUrl(s: Scenario, url: string): Scenario {
  const { urls: _replaced, ...target } = s.target;
  return { ...s, target: { ...target, url } };
}

/** Another steady-state duration. */
export function withDuration(s: Scenario, durationMs: number): Scenario {
  return { ...s, durationMs };
}
