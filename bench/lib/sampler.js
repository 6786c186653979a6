// Samples this process's CPU time (all threads: process.cpuUsage is process-wide) and RSS on a timer, and
// with `brokerPid` the broker's CPU time from /proc/<pid>/stat, so a contender's cost and the broker's can be
// read over any window after the fact (e.g. mqbench's measured window, only known once runScenario returns).
import { performance } from 'node:perf_hooks';
import { cpuSecondsOf } from './procfs.js';

export const now = () => performance.timeOrigin + performance.now();

/** CPU seconds (user + system) this process has used so far. */
export function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The broker's CPU cores over [a, b] from two readings { t, cpu } of cpuSecondsOf (null if either is missing). */
export function coresBetween(a, b) {
  if (a.cpu === null || b.cpu === null || b.t <= a.t) return null;
  return (b.cpu - a.cpu) / ((b.t - a.t) / 1000);
}

/** @param {number} [everyMs] @param {{ brokerPid?: number | null }} [options] */
export function startSampler(everyMs = 50, { brokerPid = null } = {}) {
  const samples = [];
  const take = () => samples.push({ t: now(), cpu: cpuSeconds(), rss: process.memoryUsage.rss(), broker: brokerPid ? cpuSecondsOf(brokerPid) : null });
  take();
  const timer = setInterval(take, everyMs);
  /** `key` at epoch-ms `t`, interpolated between the two samples around it (null where a sample lacks it). */
  const at = (key, t) => {
    if (t <= samples[0].t) return samples[0][key];
    for (let i = 1; i < samples.length; i++) {
      const b = samples[i];
      if (b.t >= t) {
        const a = samples[i - 1];
        if (a[key] === null || b[key] === null) return null;
        return a[key] + ((b[key] - a[key]) * (t - a.t)) / Math.max(1e-9, b.t - a.t);
      }
    }
    return samples[samples.length - 1][key];
  };
  return {
    samples,
    take,
    stop() {
      clearInterval(timer);
      take();
    },
    /** CPU seconds used at epoch-ms `t`, interpolated between the two samples around it. */
    cpuAt: (t) => at('cpu', t),
    /** The broker's CPU cores over [from, to] (epoch ms), or null without `brokerPid` or once it is gone. */
    brokerCoresBetween: (from, to) => coresBetween({ t: from, cpu: at('broker', from) }, { t: to, cpu: at('broker', to) }),
    /** RSS of the last sample taken at or before epoch-ms `t`. */
    rssAt(t) {
      let r = samples[0].rss;
      for (const s of samples) {
        if (s.t > t) break;
        r = s.rss;
      }
      return r;
    },
  };
}
