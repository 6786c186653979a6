/**
 * How the precise timer's helper thread sleeps (src/shared/preciseTimer.ts runs these two functions in the
 * helper: they are copied into its code as text, so they use nothing outside their own body).
 *
 * A futex wait (Atomics.wait) ends later than asked: by a fairly steady ~0.1 ms (the kernel's timer slack
 * plus the thread's wake-up), and on long waits by a share of the wait on top (~0.05% measured in a VM:
 * 0.5 ms after a 1 s wait). So the helper sleeps in stages: a long wait ends early by a margin (1/256 of it,
 * 8 times the share measured) that covers it, the last short wait is shortened by the measured overshoot (`overMs`, tracked by
 * trackOvershoot), and a wait that still ended early is finished by checking the time (a part of the
 * overshoot's spread, at most the overshoot), so the wake-up comes at, not before, the instant.
 */

/**
 * How long to wait next (ms) when the instant is `leftMs` away and a short wait overshoots by `overMs`;
 * 0: past the instant, or close to it after a wait for this instant that ended early (`waited`): check the
 * time until the instant. An instant armed closer than the overshoot is waited for plainly (it comes up
 * to the overshoot late): the time is checked only after a wait, so that part stays within the spread.
 */
export function nextWaitMs(leftMs: number, overMs: number, waited: boolean): number {
  if (leftMs <= 0) return 0;
  if (leftMs <= overMs) return waited ? 0 : leftMs;
  return leftMs - overMs - (leftMs > 2 ? leftMs / 256 : 0);
}

/**
 * The overshoot estimate after a wait of `waitedMs` that ended `sampleMs` late: tracks the 25th percentile
 * of short waits' overshoot (one fixed step per sample, so an outlier, a preempted thread, moves it little),
 * within [0, 0.2] ms. Low, so that 3 last waits in 4 end after the instant (the owner's lead covers that
 * spread while its event loop stays open to I/O, polling counted and capped) and only the rest are
 * finished by checking the time here; the bound also bounds that busy part per wake-up. Long waits
 * (their overshoot has the proportional part) leave it as it is.
 */
export function trackOvershoot(overMs: number, sampleMs: number, waitedMs: number): number {
  if (waitedMs > 2) return overMs;
  const next = sampleMs > overMs ? overMs + 0.001 : overMs - 0.003;
  return next < 0 ? 0 : next > 0.2 ? 0.2 : next;
}
