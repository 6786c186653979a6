// Samples this process's CPU time (all threads: process.cpuUsage is process-wide) and RSS on a timer,
// so a contender's cost can be read over any window after the fact (e.g. mqbench's measured window,
// which is only known once runScenario returns).
import { performance } from 'node:perf_hooks';

export const now = () => performance.timeOrigin + performance.now();

/** CPU seconds (user + system) this process has used so far. */
export function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export function startSampler(everyMs = 50) {
  const samples = [];
  const take = () => samples.push({ t: now(), cpu: cpuSeconds(), rss: process.memoryUsage.rss() });
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    take,
    stop() {
      clearInterval(timer);
      take();
    },
    /** CPU seconds used at epoch-ms `t`, interpolated between the two samples around it. */
    cpuAt(t) {
      if (t <= samples[0].t) return samples[0].cpu;
      for (let i = 1; i < samples.length; i++) {
        const b = samples[i];
        if (b.t >= t) {
          const a = samples[i - 1];
          return a.cpu + ((b.cpu - a.cpu) * (t - a.t)) / Math.max(1e-9, b.t - a.t);
        }
      }
      return samples[samples.length - 1].cpu;
    },
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
