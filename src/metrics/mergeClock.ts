/**
 * How far end-to-end latency of a merged run can be trusted. A message's latency is its subscriber's
 * clock minus its publisher's: on one host that is one system clock; across hosts it is off by the
 * difference of the two clocks, which only the machines' time services can estimate.
 */
import type { MergeInfo, SegmentInfo } from './segmentTypes.js';

export function clockUncertainty(segments: SegmentInfo[]): Pick<MergeInfo, 'hosts' | 'clockUncertaintyMs' | 'clockNote'> {
  const hosts = [...new Set(segments.map((s) => s.host))].sort();
  if (hosts.length <= 1) {
    return { hosts, clockUncertaintyMs: 0, clockNote: `all segments ran on ${hosts[0] ?? 'one host'}: one system clock, end-to-end latency is comparable` };
  }
  const unknown = segments.filter((s) => s.clockOffset === null);
  if (unknown.length > 0) {
    const names = [...new Set(unknown.map((s) => s.host))].join(', ');
    return {
      hosts,
      clockUncertaintyMs: null,
      clockNote: `unknown: clocks not compared (no clock offset from ${names}); end-to-end figures between hosts may be off by the hosts' clock difference`,
    };
  }
  const offsets = segments.map((s) => s.clockOffset!.offsetMs);
  const spread = Math.max(...offsets) - Math.min(...offsets);
  const bounds = segments.map((s) => s.clockOffset!.maxErrorMs);
  const boundsKnown = bounds.every((b) => b !== null);
  const worstBound = boundsKnown ? Math.max(...bounds) : 0;
  const ms = Math.round((spread + 2 * worstBound) * 1000) / 1000;
  const sources = [...new Set(segments.map((s) => s.clockOffset!.source))].join(', ');
  return {
    hosts,
    clockUncertaintyMs: ms,
    clockNote:
      `end-to-end figures between hosts may be off by up to ±${ms} ms: offsets spread ${round(spread)} ms` +
      (boundsKnown ? ` plus twice the largest error bound (${round(worstBound)} ms)` : ' (error bounds not reported: an estimate)') +
      ` (from ${sources})`,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
