/**
 * A publish-rate profile over time (stages): the rate factor moves linearly from one stage's level
 * to the next, starting at 0 (a ramp-up), like k6 stages. An open-model slot k of a group with
 * rate R is due when the area under R × factor(t) reaches k, so the schedule stays exact and
 * every worker derives the same slot times. A stage of 0 s jumps to its level.
 */
export interface Stage {
  durationMs: number;
  /** Level at the end of the stage, as a factor of each group's rate (1 = 100%). */
  level: number;
}

interface RampPiece {
  startMs: number;
  durationMs: number;
  from: number;
  to: number;
  /** Area (factor × seconds) before this segment. */
  areaBefore: number;
  area: number;
}

export class RateProfile {
  private readonly segments: RampPiece[] = [];
  readonly totalMs: number;
  /** Area under the whole profile, in factor × seconds: slots = rate × totalArea. */
  readonly totalArea: number;

  constructor(stages: Stage[]) {
    let start = 0;
    let area = 0;
    let level = 0;
    for (const s of stages) {
      const a = ((level + s.level) / 2) * (s.durationMs / 1000);
      this.segments.push({ startMs: start, durationMs: s.durationMs, from: level, to: s.level, areaBefore: area, area: a });
      start += s.durationMs;
      area += a;
      level = s.level;
    }
    this.totalMs = start;
    this.totalArea = area;
  }

  /** The factor at `ms` after the start. */
  levelAt(ms: number): number {
    const seg = this.segments.find((s) => s.durationMs > 0 && ms < s.startMs + s.durationMs) ?? this.segments.at(-1);
    if (!seg) return 0;
    const x = seg.durationMs === 0 ? 1 : Math.min(1, Math.max(0, (ms - seg.startMs) / seg.durationMs));
    return seg.from + (seg.to - seg.from) * x;
  }

  /** When (ms after the start) the area reaches `area` (factor × seconds); Infinity past the end. */
  timeFor(area: number): number {
    for (const s of this.segments) {
      if (s.durationMs === 0 || area > s.areaBefore + s.area) continue; // a 0 s stage is a jump
      const want = area - s.areaBefore; // within this segment
      const d = s.durationMs / 1000;
      const slope = (s.to - s.from) / d; // factor per second
      let tau: number;
      if (Math.abs(slope) < 1e-12) tau = s.from > 0 ? want / s.from : 0;
      else {
        // from·τ + slope·τ²/2 = want → τ = (−from + √(from² + 2·slope·want)) / slope
        const disc = Math.max(0, s.from * s.from + 2 * slope * want);
        tau = (-s.from + Math.sqrt(disc)) / slope;
      }
      return s.startMs + Math.min(d, Math.max(0, tau)) * 1000;
    }
    return Infinity;
  }
}
