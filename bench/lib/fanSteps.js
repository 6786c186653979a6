// The steps of a fan-out / fan-in search (bench/fan.js): the offered rate goes up through a fixed list until
// a step fails, then a few more steps bisect between the highest rate that passed and the lowest that failed,
// so the rate reached lands close to the ceiling and not on the last coarse step below it.

/** Rates closer than this share of the passing rate are not worth another run. */
const RESOLUTION = 0.02;

/** The highest offered rate that passed and the lowest that failed (null when there is none). */
export function bounds(steps) {
  const passed = steps.filter((s) => s.passed).map((s) => s.offered);
  const failed = steps.filter((s) => !s.passed).map((s) => s.offered);
  return { passed: passed.length ? Math.max(...passed) : null, failed: failed.length ? Math.min(...failed) : null };
}

/**
 * The next rate to try: halfway between the highest rate that passed and the lowest that failed, or null
 * when no rate passed, none failed, or they are within 2% of each other.
 */
export function nextBisectRate(steps) {
  const { passed, failed } = bounds(steps);
  if (passed === null || failed === null || failed <= passed) return null;
  const mid = Math.round((passed + failed) / 2);
  if (failed - passed <= Math.max(1, passed * RESOLUTION) || mid <= passed || mid >= failed) return null;
  return mid;
}

/** The step whose figures are reported (the highest that passed) and the one that set the limit (the lowest that failed). */
export function reachedAndLimit(steps) {
  const { passed, failed } = bounds(steps);
  return {
    reached: passed === null ? null : steps.find((s) => s.passed && s.offered === passed),
    limit: failed === null ? null : steps.find((s) => !s.passed && s.offered === failed),
  };
}
