import { OFFERS_ALL, type BrokerOffers } from '../metrics/capabilities.js';
import { groupPublishRate, type Scenario } from '../scenario/model.js';
import { segmentRanges, WHOLE_RUN, type Segment } from './segment.js';
import { rateShare, splitRange, type Range } from './split.js';
import { seqLayout } from './seqSpace.js';
import type { SeqLayout } from '../metrics/seqBitmap.js';

/** One worker's part of one group: clients [first, first + count) of that group. */
export interface GroupSlice extends Range {
  groupIndex: number;
  /** This slice's share of the group's connect rate and publish rate (for display and checks). */
  connectRate: number;
  publishRate: number;
}

export interface WorkerPlan {
  workerIndex: number;
  workerCount: number;
  runId: string;
  runTag: number;
  scenario: Scenario;
  /** Global client index of each group's client 0 (index = group order); used as publisher id. */
  clientBase: number[];
  /** Global subscription slot of each group's client 0, filter 0 (client i, filter k: base + i × filters + k). */
  slotBase: number[];
  /** Where each publisher's sequence numbers live in the run-wide shared bitmaps (see SeqBitmap). */
  seqLayout: SeqLayout;
  slices: GroupSlice[];
  /** What the broker offers (probed before the run): deliveries it does not offer are not expected. */
  offers: BrokerOffers;
}

export interface RunPlan {
  runId: string;
  /** This process's segment of a distributed run ({ index: 0, count: 1 } for a whole run). */
  segment: Segment;
  runTag: number;
  scenario: Scenario;
  clientBase: number[];
  slotBase: number[];
  seqLayout: SeqLayout;
  /**
   * clients/publishers/publishRate: what this process runs (its segment's share). subscriptionSlots: one
   * per (client, subscription) of the WHOLE run: the size of the shared receivable state.
   */
  totals: { clients: number; publishers: number; publishRate: number; subscriptionSlots: number };
  workers: WorkerPlan[];
  offers: BrokerOffers;
}

export interface PlanOptions {
  /** Requested worker threads; capped at the number of clients. */
  workers: number;
  runId: string;
  runTag: number;
  /** Run only this segment's share of every group (default: the whole run). */
  segment?: Segment;
  /** What the broker offers (default: everything the scenario uses). */
  offers?: BrokerOffers;
}

/** Pure: the same scenario and options always give the same plan. */
export function buildRunPlan(scenario: Scenario, opts: PlanOptions): RunPlan {
  const segment = opts.segment ?? WHOLE_RUN;
  const offers = opts.offers ?? OFFERS_ALL;
  const mine = segmentRanges(scenario, segment);
  const clients = mine.reduce((n, r) => n + r.count, 0);
  const workerCount = Math.max(1, Math.min(opts.workers, clients));
  const clientBase: number[] = [];
  const slotBase: number[] = [];
  let base = 0;
  let slots = 0;
  for (const g of scenario.groups) {
    clientBase.push(base);
    slotBase.push(slots);
    base += g.count;
    slots += g.count * g.subscribe.length;
  }
  const seqs = seqLayout(scenario, clientBase);
  // The segment's range of each group, split over the workers; indices stay the group's global ones.
  const perGroup = mine.map((m) => splitRange(m.count, workerCount).map((r) => ({ first: m.first + r.first, count: r.count })));
  const workers: WorkerPlan[] = Array.from({ length: workerCount }, (_, w) => ({
    workerIndex: w,
    workerCount,
    runId: opts.runId,
    runTag: opts.runTag,
    scenario,
    clientBase,
    slotBase,
    offers,
    seqLayout: seqs,
    slices: scenario.groups
      .map((g, gi): GroupSlice => {
        const r = perGroup[gi][w];
        return {
          groupIndex: gi,
          first: r.first,
          count: r.count,
          connectRate: rateShare(g.connect.rate, g.count, r),
          publishRate: g.publish ? rateShare(groupPublishRate(g), g.count, r) : 0,
        };
      })
      .filter((s) => s.count > 0),
  }));
  const publishing = scenario.groups.map((g, gi) => ({ g, r: mine[gi] })).filter(({ g }) => g.publish);
  return {
    runId: opts.runId,
    segment,
    runTag: opts.runTag,
    scenario,
    clientBase,
    slotBase,
    seqLayout: seqs,
    totals: {
      subscriptionSlots: slots,
      clients,
      publishers: publishing.reduce((n, { r }) => n + r.count, 0),
      publishRate: publishing.reduce((sum, { g, r }) => sum + rateShare(groupPublishRate(g), g.count, r), 0),
    },
    workers,
    offers,
  };
}
