/**
 * The receive-side ledger's shared memory, allocated once per process from the plan and handed to every
 * worker thread (WorkerInit.ledger): a record per `$share` group with several members (shareLedger.ts)
 * and the session board, one record per subscription slot (sessions.ts).
 */
import { allocateShareRecords, type ShareBuffers } from '../metrics/shareLedger.js';
import { SessionBoard } from '../metrics/sessions.js';
import type { RunPlan } from '../plan/plan.js';
import { shareGroupsOf, subscriptionRules } from '../worker/subscriptionRules.js';

export interface LedgerBuffers {
  shares: ShareBuffers;
  sessions: SharedArrayBuffer;
}

export function allocateLedger(plan: RunPlan): LedgerBuffers {
  // From the subscription rules: no list of every client's subscriptions (cost independent of the run's size).
  const groups = shareGroupsOf(subscriptionRules(plan.scenario, plan.slotBase, plan.runId));
  return {
    shares: allocateShareRecords(groups, plan.seqLayout, plan.segment.count > 1),
    sessions: new SessionBoard(plan.totals.subscriptionSlots).buffer as SharedArrayBuffer,
  };
}
